import { describe, expect, it } from 'vitest';
import { MemoryRepository, RecordingBus, RecordingTimer } from '../../../test/helpers/fakes.ts';
import { sampleComplaint } from '../../../test/helpers/sample-items.ts';
import { openComplaintClocks } from '../clocks/complaint-clocks.ts';
import { loadClockPolicy } from '../clocks/policy.ts';
import { nextClockActionAt } from '../adapters/table-design.ts';
import type { ClockActionsIndex } from '../ports/clock-actions.ts';
import { SWEEP_GRACE_MS, sweepClocks } from './sweep.ts';

const policy = loadClockPolicy({ REDRESS_SLA_FIRST_RESPONSE: 'PT1H', REDRESS_JURISDICTION: 'cn' });

/** The index as DynamoDB would answer it: items whose next owed announcement is before `before`. */
function actionsOf(repository: MemoryRepository): ClockActionsIndex {
  return {
    overdue: async (before) =>
      [...repository.items.values()]
        .filter((s) => {
          const next = nextClockActionAt(s.item);
          return next !== undefined && next < before;
        })
        .map((s) => s.item.id),
  };
}

async function setup() {
  const repository = new MemoryRepository();
  const eventBus = new RecordingBus();
  const clockTimer = new RecordingTimer();
  const { item } = openComplaintClocks(sampleComplaint({ receivedAt: '2026-11-28T09:00:00.000Z' }), policy);
  await repository.createIfAbsent(item, []);
  return { repository, eventBus, clockTimer, deps: { repository, eventBus, clockTimer, actions: actionsOf(repository) } };
}

describe('sweepClocks', () => {
  it('announces a breach the timer missed, once, and makes sure the timer runs', async () => {
    const { deps, eventBus, clockTimer } = await setup();
    const now = () => new Date('2026-11-28T10:30:00.000Z'); // 90 min after receipt: warned at 48 min, due at 60 min
    const first = await sweepClocks({ ...deps, now }, 60_000);
    expect(first).toEqual({ examined: 1, announced: 2 });
    expect(eventBus.published.map((e) => e.detailType)).toEqual(['Complaint.SlaWarning', 'Complaint.SlaBreached']);
    expect(clockTimer.started.map((t) => t.clock)).toEqual(['first_response', 'resolution_cn']);

    const second = await sweepClocks({ ...deps, now }, 60_000);
    expect(second.announced).toBe(0);
    expect(eventBus.published).toHaveLength(2);
  });

  it('leaves a clock alone until its announcement is overdue by the grace period', async () => {
    const { deps, eventBus } = await setup();
    const result = await sweepClocks({ ...deps, now: () => new Date('2026-11-28T09:48:30.000Z') }, 60_000); // warning due 09:48, 30 s ago
    expect(result).toEqual({ examined: 0, announced: 0 });
    expect(eventBus.published).toEqual([]);
  });

  it('waits the default grace period (SWEEP_GRACE_MS, two minutes) when given none', async () => {
    expect(SWEEP_GRACE_MS).toBe(120_000);
    const { deps, eventBus } = await setup();
    // The warning was due at 09:48: 90 s later it is still the timer's, 130 s later the sweeper's.
    expect(await sweepClocks({ ...deps, now: () => new Date('2026-11-28T09:49:30.000Z') })).toEqual({ examined: 0, announced: 0 });
    expect(await sweepClocks({ ...deps, now: () => new Date('2026-11-28T09:50:10.000Z') })).toEqual({ examined: 1, announced: 1 });
    expect(eventBus.published.map((e) => e.detailType)).toEqual(['Complaint.SlaWarning']);
  });
});
