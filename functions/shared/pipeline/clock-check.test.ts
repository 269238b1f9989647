import { describe, expect, it } from 'vitest';
import { MemoryRepository, RecordingBus } from '../../../test/helpers/fakes.ts';
import { sampleComplaint } from '../../../test/helpers/sample-items.ts';
import { openComplaintClocks, stopComplaintClocks } from '../clocks/complaint-clocks.ts';
import { loadClockPolicy } from '../clocks/policy.ts';
import { runClockCheck } from './clock-check.ts';

const policy = loadClockPolicy({ REDRESS_SLA_FIRST_RESPONSE: 'PT1H' });
const at = (iso: string) => () => new Date(iso);

async function setup() {
  const repository = new MemoryRepository();
  const eventBus = new RecordingBus();
  const { item } = openComplaintClocks(sampleComplaint({ receivedAt: '2026-11-28T09:00:00.000Z' }), policy);
  await repository.createIfAbsent(item, []);
  return { repository, eventBus, id: item.id };
}

describe('runClockCheck', () => {
  it('records the breach on the item and publishes it once, however often the timer wakes', async () => {
    const { repository, eventBus, id } = await setup();
    const input = { feedbackId: id, clock: 'first_response', stage: 'breach' as const };
    expect(await runClockCheck(input, { repository, eventBus, now: at('2026-11-28T10:00:00.000Z') })).toEqual({
      continue: true,
      emitted: ['Complaint.SlaWarning', 'Complaint.SlaBreached'],
    });
    expect(await runClockCheck(input, { repository, eventBus, now: at('2026-11-28T10:00:05.000Z') })).toEqual({ continue: true, emitted: [] });
    expect(eventBus.published.filter((e) => e.detailType === 'Complaint.SlaBreached')).toHaveLength(1);
    const stored = await repository.get(id);
    expect(stored?.item.version).toBe(2);
    expect(stored?.outbox).toEqual({});
  });

  it('loses a race to a response gracefully: re-reads, sees the clock stopped, announces nothing', async () => {
    const { repository, eventBus, id } = await setup();
    const realReplace = repository.replace.bind(repository);
    let raced = false;
    repository.replace = async (item, expected, outbox) => {
      if (!raced) {
        raced = true;
        // A handler responds between the check's read and its write.
        const current = (await repository.get(id))!;
        const answered = stopComplaintClocks(current.item, 'first_response', '2026-11-28T09:59:59.000Z').item;
        await realReplace({ ...answered, version: current.item.version + 1 }, current.item.version, current.outbox);
      }
      return realReplace(item, expected, outbox);
    };
    const result = await runClockCheck({ feedbackId: id, clock: 'first_response', stage: 'breach' }, { repository, eventBus, now: at('2026-11-28T10:00:00.000Z') });
    expect(result).toEqual({ continue: false, emitted: [] });
    expect(eventBus.published).toEqual([]);
  });
});
