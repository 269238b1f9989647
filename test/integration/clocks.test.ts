/**
 * Complaint clocks end to end on the local stack with a 6-second first-response target: the
 * CDK-synthesized state machine, run by aws-local-stepfunctions, announces the warning at 80 %, the
 * breach at 100 % and the level-2 escalation at 200 %; a response silences it; a restart resumes it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { stopComplaintClocks } from '../../functions/shared/clocks/complaint-clocks.ts';
import { flushOutbox, outboxOf } from '../../functions/shared/pipeline/outbox.ts';
import type { OutboxEntry } from '../../functions/shared/ports/feedback-repository.ts';
import { feedbackBody, standardWebhookHeaders } from '../helpers/http-events.ts';
import { startTestStack, type TestStack } from '../helpers/local-stack.ts';

const COMPLAINT = 'I want to complain: you charged me twice and nobody answers my calls.';
let stack: TestStack | undefined;
afterEach(async () => {
  await stack?.destroy();
  stack = undefined;
});

async function postComplaint(s: TestStack, id: string): Promise<{ fb: string; at: number }> {
  const body = feedbackBody(COMPLAINT);
  const res = await fetch(`${s.url}/webhooks/web`, { method: 'POST', headers: standardWebhookHeaders(s.env.REDRESS_WEB_SECRET!, id, body), body });
  expect(res.status).toBe(202);
  return { fb: ((await res.json()) as { accepted: Array<{ id: string }> }).accepted[0]!.id, at: Date.now() };
}

async function clockEvents(s: TestStack, fb: string) {
  const { items } = (await (await fetch(`${s.url}/local/events`)).json()) as { items: Array<{ 'detail-type': string; detail: Record<string, unknown> }> };
  return items.filter((e) => e.detail.feedbackId === fb && String(e['detail-type']).startsWith('Complaint.'));
}

/** Records when each event type is first seen (polling like a consumer would). */
async function watch(s: TestStack, fb: string, start: number, untilMs: number) {
  const seen = new Map<string, number>();
  while (Date.now() - start < untilMs) {
    for (const e of await clockEvents(s, fb)) if (!seen.has(e['detail-type'])) seen.set(e['detail-type'], (Date.now() - start) / 1000);
    await new Promise((r) => setTimeout(r, 100));
  }
  return seen;
}

describe('first-response clock (PT6S)', () => {
  it('warns at ~4.8 s, breaches at ~6 s and escalates at ~12 s, each once', async () => {
    stack = await startTestStack({ env: { REDRESS_SLA_FIRST_RESPONSE: 'PT6S' } });
    const { fb, at } = await postComplaint(stack, 'msg_clock_timing');
    const seen = await watch(stack, fb, at, 13_500);
    expect(seen.get('Complaint.Opened')).toBeLessThan(2);
    expect(seen.get('Complaint.SlaWarning')).toBeGreaterThan(4.3);
    expect(seen.get('Complaint.SlaWarning')).toBeLessThan(5.8);
    expect(seen.get('Complaint.SlaBreached')).toBeGreaterThan(5.5);
    expect(seen.get('Complaint.SlaBreached')).toBeLessThan(7);
    expect(seen.get('Complaint.Escalated')).toBeGreaterThan(11.5);
    expect(seen.get('Complaint.Escalated')).toBeLessThan(13.5);
    const events = await clockEvents(stack, fb);
    expect(events.filter((e) => e['detail-type'] === 'Complaint.SlaBreached')).toHaveLength(1);
    const breach = events.find((e) => e['detail-type'] === 'Complaint.SlaBreached')!;
    expect(breach.detail).toMatchObject({ complaintId: fb, clock: 'first_response', escalationLevel: 1 });
    const stored = await stack.repository.get(fb);
    expect(stored?.item.clocks.find((c) => c.name === 'first_response')).toMatchObject({ state: 'breached', escalationLevel: 2 });
  }, 30_000);

  it('a response before the warning silences the clock', async () => {
    stack = await startTestStack({ env: { REDRESS_SLA_FIRST_RESPONSE: 'PT6S' } });
    const { fb, at } = await postComplaint(stack, 'msg_clock_answered');
    await new Promise((r) => setTimeout(r, 1000));
    // What the admin "respond" action does: stop the clock in one conditional write, then flush.
    const stored = (await stack.repository.get(fb))!;
    const { item, stopped } = stopComplaintClocks(stored.item, 'first_response', new Date().toISOString());
    const outbox: Record<string, OutboxEntry> = { ...stored.outbox, ...outboxOf(stopped.map((timer): OutboxEntry => ({ kind: 'stopTimer', timer }))) };
    const written = await stack.repository.replace({ ...item, version: stored.item.version + 1 }, stored.item.version, outbox);
    await flushOutbox(written, { repository: stack.repository, eventBus: stack.bus, clockTimer: stack.clockTimer });
    const seen = await watch(stack, fb, at, 8_000);
    expect([...seen.keys()]).toEqual(['Complaint.Opened']);
    expect((await stack.repository.get(fb))?.item.clocks.find((c) => c.name === 'first_response')?.state).toBe('met');
  }, 20_000);

  it('a restart in the middle of a clock resumes it; what fell due while down is announced once', async () => {
    stack = await startTestStack({ env: { REDRESS_SLA_FIRST_RESPONSE: 'PT6S' } });
    const { fb, at } = await postComplaint(stack, 'msg_clock_restart');
    await new Promise((r) => setTimeout(r, 2000));
    const { dataDir, env } = stack;
    await stack.close();
    await new Promise((r) => setTimeout(r, 5000)); // the breach falls due while the stack is down
    stack = await startTestStack({ dataDir, env });
    const back = Date.now();
    let breaches = 0;
    while (Date.now() - back < 8000) {
      breaches = (await clockEvents(stack, fb)).filter((e) => e['detail-type'] === 'Complaint.SlaBreached').length;
      if (breaches) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(breaches).toBe(1);
    expect((Date.now() - back) / 1000).toBeLessThan(5);
    await new Promise((r) => setTimeout(r, Math.max(0, 12_500 - (Date.now() - at))));
    const events = await clockEvents(stack, fb);
    expect(events.filter((e) => e['detail-type'] === 'Complaint.SlaBreached')).toHaveLength(1);
    expect(events.filter((e) => e['detail-type'] === 'Complaint.SlaWarning')).toHaveLength(1);
    expect(events.filter((e) => e['detail-type'] === 'Complaint.Escalated')).toHaveLength(1);
  }, 40_000);
});
