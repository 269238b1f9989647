/**
 * The quarterly evaluation end to end on the local stack (issue 16): an administrator sets the plan and
 * the quarters' customer bases (validated, If-Match, audited); complaints received either side of a
 * quarter boundary in Beijing time are worked through the admin API; the quarterly and per-handler
 * reports (served by the report function's handler) are read as JSON and CSV, and their figures are
 * recomputed here from the items independently.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signLocalToken } from '../../functions/shared/auth/local-jwt.ts';
import { createDocumentClient } from '../../functions/shared/adapters/aws/dynamo-feedback-repository.ts';
import { DynamoPlanStore } from '../../functions/shared/adapters/aws/dynamo-plan-store.ts';
import { LOCAL_TABLE_NAME } from '../../infra/local/local-stack.ts';
import { sampleComplaint } from '../helpers/sample-items.ts';
import { startTestStack, type TestStack } from '../helpers/local-stack.ts';

let stack: TestStack;
const tokens: Record<string, string> = {};

interface Answer {
  status: number;
  etag: string | null;
  type: string;
  text: string;
  bytes: Buffer;
  json: any;
}
async function api(method: string, path: string, options: { token?: string; body?: unknown; ifMatch?: string; accept?: string } = {}): Promise<Answer> {
  const headers: Record<string, string> = { authorization: `Bearer ${options.token ?? tokens.admin}` };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.ifMatch !== undefined) headers['if-match'] = options.ifMatch;
  if (options.accept !== undefined) headers.accept = options.accept;
  const res = await fetch(stack.url + path, { method, headers, ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}) });
  const bytes = Buffer.from(await res.arrayBuffer());
  const text = bytes.toString('utf8');
  const type = res.headers.get('content-type') ?? '';
  return { status: res.status, etag: res.headers.get('etag'), type, text, bytes, json: type.includes('json') && text ? JSON.parse(text) : undefined };
}

const PLAN = {
  baseline: { period: '2021', complaintRate: 12.5, satisfaction: 3.4, digitalUsage: 0.4 },
  targets: { complaintRateChange: -0.2, satisfactionChange: 0.3, digitalUsage: 0.6, firstResponseCompliance: 1.0, handlerThroughputChange: 0.2 },
};

/**
 * Complaints received around the Q3/Q4 2026 boundary: 2026-09-30T15:30Z is 23:30 on 30 September in
 * Beijing (Q3); 16:30Z is 00:30 on 1 October (Q4).
 */
const RECEIVED = {
  q3a: '2026-09-30T15:30:00.000Z',
  q3b: '2026-08-15T02:00:00.000Z',
  q4a: '2026-09-30T16:30:00.000Z',
  q4b: '2026-10-20T03:00:00.000Z',
  q4c: '2026-11-02T08:00:00.000Z',
};
const ids = Object.fromEntries(Object.keys(RECEIVED).map((k) => [k, `fb_eval${k}`])) as Record<keyof typeof RECEIVED, string>;

beforeAll(async () => {
  stack = await startTestStack();
  const secret = stack.env.REDRESS_JWT_SECRET!.split(',')[0]!;
  tokens.agent = await signLocalToken(secret, { sub: 'agent-a', groups: ['agent'] });
  tokens.sup = await signLocalToken(secret, { sub: 'sup-1', groups: ['supervisor'] });
  tokens.admin = await signLocalToken(secret, { sub: 'admin-1', groups: ['admin'] });
  for (const [key, receivedAt] of Object.entries(RECEIVED)) {
    await stack.repository.createIfAbsent(sampleComplaint({ id: ids[key as keyof typeof RECEIVED], externalId: `eval-${key}`, receivedAt }), []);
  }
  // Two complaints resolved now (Q4 2026) by sup-1, one of them rated by the handler; one Q3 complaint among them.
  for (const id of [ids.q3a, ids.q4a]) {
    expect((await api('POST', `/admin/complaints/${id}/resolve`, { token: tokens.sup, body: { outcome: 'upheld', summary: 'Refunded the double charge.' } })).status).toBe(200);
  }
  expect((await api('POST', `/admin/complaints/${ids.q4a}/satisfaction`, { token: tokens.sup, body: { score: 4 } })).status).toBe(200);
}, 60_000);

afterAll(async () => {
  await stack?.destroy();
});

describe('the plan', () => {
  it('is refused to supervisors and agents (403)', async () => {
    expect((await api('PUT', '/admin/plan', { token: tokens.sup, body: PLAN })).status).toBe(403);
    expect((await api('GET', '/admin/plan', { token: tokens.agent })).status).toBe(403);
  });

  it('answers 400 naming an unknown or bad field, and stores nothing', async () => {
    const res = await api('PUT', '/admin/plan', { body: { ...PLAN, targets: { ...PLAN.targets, complaintRat: -0.2 } } });
    expect(res.status).toBe(400);
    expect(res.type).toContain('application/problem+json');
    expect(JSON.stringify(res.json)).toContain('targets.complaintRat');
  });

  it('is set by an administrator, read back with its version, refused on a stale If-Match, and audited', async () => {
    const set = await api('PUT', '/admin/plan', { body: PLAN });
    expect(set.status).toBe(200);
    expect(set.json).toMatchObject({ ...PLAN, updatedBy: 'admin-1', version: 1 });
    expect((await api('GET', '/admin/plan')).json).toEqual(set.json);
    expect((await api('PUT', '/admin/plan', { body: PLAN, ifMatch: '"7"' })).status).toBe(412);
    const changed = await api('PUT', '/admin/plan', { body: { ...PLAN, targets: { ...PLAN.targets, digitalUsage: 0.65 } }, ifMatch: '"1"' });
    expect(changed.status).toBe(200);
    expect(changed.etag).toBe('"2"');
    const trail = await new DynamoPlanStore(createDocumentClient(stack.dynamo.client), LOCAL_TABLE_NAME).auditTrail('plan', 10);
    expect(trail.map((r) => [r.version, r.actor, r.changes.map((c) => c.field)])).toEqual([
      [2, 'admin-1', ['targets.digitalUsage']],
      [1, 'admin-1', expect.arrayContaining(['baseline.period', 'targets.complaintRateChange'])],
    ]);
    expect(trail[0]!.changes[0]).toEqual({ field: 'targets.digitalUsage', before: 0.6, after: 0.65 });
  });

  it('sets a quarter\'s customer base; a malformed quarter or digital > active is a 400', async () => {
    expect((await api('PUT', '/admin/customer-base/2026-Q5', { body: { activeCustomers: 1, digitalActiveCustomers: 0 } })).status).toBe(400);
    const tooMany = await api('PUT', '/admin/customer-base/2026-Q4', { body: { activeCustomers: 10, digitalActiveCustomers: 11 } });
    expect(tooMany.status).toBe(400);
    expect(JSON.stringify(tooMany.json)).toContain('digitalActiveCustomers');
    const q4 = await api('PUT', '/admin/customer-base/2026-Q4', { body: { activeCustomers: 20_000, digitalActiveCustomers: 12_500 } });
    expect(q4.status).toBe(200);
    expect(q4.json).toMatchObject({ quarter: '2026-Q4', activeCustomers: 20_000, version: 1 });
    expect((await api('PUT', '/admin/customer-base/2026-Q3', { body: { activeCustomers: 16_000, digitalActiveCustomers: 8_000 } })).status).toBe(200);
  });
});

describe('the quarterly report', () => {
  it('is refused to agents (403) and names a malformed quarter (400)', async () => {
    expect((await api('GET', '/admin/reports/quarterly?quarter=2026-Q4', { token: tokens.agent })).status).toBe(403);
    const bad = await api('GET', '/admin/reports/quarterly?quarter=2026-4', { token: tokens.sup });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.json)).toContain('quarter');
  });

  it('puts a complaint at 23:30 Beijing time on 30 September in Q3 and one at 00:30 on 1 October in Q4, figures recomputed from the items', async () => {
    const res = await api('GET', '/admin/reports/quarterly?quarter=2026-Q4', { token: tokens.sup });
    expect(res.status).toBe(200);
    const { current, previous, figures, targets } = res.json;
    // Independently: which stored complaints fall in which Beijing quarter, and what state they are in now.
    const beijingQuarter = (iso: string) => {
      const local = new Date(Date.parse(iso) + 8 * 3_600_000);
      return `${local.getUTCFullYear()}-Q${Math.floor(local.getUTCMonth() / 3) + 1}`;
    };
    const items = await Promise.all(Object.values(ids).map(async (id) => (await stack.repository.get(id))!.item));
    const q4 = items.filter((i) => beijingQuarter(i.receivedAt) === '2026-Q4');
    const q3 = items.filter((i) => beijingQuarter(i.receivedAt) === '2026-Q3');
    expect(current.complaints).toBe(q4.length);
    expect(previous.complaints).toBe(q3.length);
    expect(current.complaintRate).toBeCloseTo((q4.length / 20_000) * 10_000, 9);
    expect(previous.complaintRate).toBeCloseTo((q3.length / 16_000) * 10_000, 9);
    expect(current.digitalUsage).toBeCloseTo(12_500 / 20_000, 9);
    expect(current.resolved).toBe(q4.filter((i) => i.status === 'resolved').length);
    // Both resolutions were made now (Q4), by sup-1, one of them on a Q3 complaint.
    expect(current.resolutionsMade).toBe(items.filter((i) => i.status === 'resolved').length);
    expect(current.satisfaction.handler).toMatchObject({ count: 1, mean: 4 });
    expect(current.satisfaction.customer.count).toBe(0);
    expect(figures.complaintRate.baseline).toBe(12.5);
    expect(figures.complaintRate.change).toBeCloseTo(((q4.length / 20_000) * 10_000 - 12.5) / 12.5, 9);
    expect(targets.digitalUsage).toEqual({ figure: 'digitalUsage', measure: 'level', target: 0.65, actual: 12_500 / 20_000, met: false });
    expect(targets.satisfactionChange.met).toBeNull();
  });

  it('answers the same as CSV on Accept: text/csv and on format=csv: UTF-8 with a BOM, one row per figure', async () => {
    const json = (await api('GET', '/admin/reports/quarterly?quarter=2026-Q4', { token: tokens.sup })).json;
    for (const res of [await api('GET', '/admin/reports/quarterly?quarter=2026-Q4', { token: tokens.sup, accept: 'text/csv' }), await api('GET', '/admin/reports/quarterly?quarter=2026-Q4&format=csv', { token: tokens.sup })]) {
      expect(res.status).toBe(200);
      expect(res.type).toContain('text/csv');
      expect([...res.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const rows = res.text.slice(1).trim().split('\r\n').map((line) => line.split(','));
      const complaints = rows.find((r) => r[0] === 'complaints')!;
      expect(Number(complaints[1])).toBe(json.current.complaints);
      expect(Number(rows.find((r) => r[0] === 'complaintRate')![1])).toBeCloseTo(json.current.complaintRate, 6);
    }
  });

  it('gives per-handler figures: the resolutions sup-1 made this quarter', async () => {
    const res = await api('GET', '/admin/reports/handlers?quarter=2026-Q4', { token: tokens.sup });
    expect(res.status).toBe(200);
    const sup = res.json.handlers.find((h: { handler: string }) => h.handler === 'sup-1');
    expect(sup).toMatchObject({ resolved: 2, reopened: 0, handlerDays: 1, throughput: 2 });
    const csv = await api('GET', '/admin/reports/handlers?quarter=2026-Q4', { token: tokens.sup, accept: 'text/csv' });
    expect(csv.text).toContain('sup-1');
  });
});

describe('repeat complaints in the quarterly report (customers across channels)', () => {
  const key = (c: string) => `ck1_${c.repeat(32)}`;
  /** 2025-Q2 in Beijing time; priors in the 90 days before it, and one older than that. */
  const REPEATS = [
    { id: 'fb_rep_prior_a', key: key('a'), receivedAt: '2025-03-10T02:00:00.000Z' },
    { id: 'fb_rep_q2_a', key: key('a'), receivedAt: '2025-04-10T02:00:00.000Z' },
    { id: 'fb_rep_prior_c', key: key('c'), receivedAt: '2025-02-20T02:00:00.000Z' },
    { id: 'fb_rep_q2_b', key: key('b'), receivedAt: '2025-05-05T02:00:00.000Z' },
    { id: 'fb_rep_old_d', key: key('d'), receivedAt: '2024-11-01T02:00:00.000Z' },
    { id: 'fb_rep_q2_d', key: key('d'), receivedAt: '2025-06-01T02:00:00.000Z' },
  ];

  it('counts a complaint whose customer (linked keys as one) complained in the 90 days before it', async () => {
    for (const r of REPEATS) await stack.repository.createIfAbsent({ ...sampleComplaint({ id: r.id, externalId: r.id, receivedAt: r.receivedAt }), customerKey: r.key }, []);
    // b and c are the same person on two platforms: c's February complaint makes b's May one a repeat.
    expect((await api('POST', `/admin/customers/${key('b')}/links`, { token: tokens.sup, body: { customerKey: key('c') } })).status).toBe(200);

    const res = await api('GET', '/admin/reports/quarterly?quarter=2025-Q2', { token: tokens.sup });

    expect(res.status).toBe(200);
    // Independently: a (prior 31 days before) and b (through c, 74 days before) repeat; d's earlier one is 212 days old.
    expect(res.json.current.repeatComplaints).toEqual({ count: 2, withCustomer: 3, rate: 2 / 3 });
  });
});
