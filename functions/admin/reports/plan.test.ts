import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { AuditRecord, CustomerBase, Plan } from '../../../schemas/plan.ts';
import { BadRequestError, PreconditionFailedError } from '../../shared/errors.ts';
import { diffFields, nextCustomerBase, nextPlan, putCustomerBase, putPlan } from './plan.ts';
import type { PlanStore } from '../../shared/ports/plan-store.ts';

const DESIGN_PLAN = {
  baseline: { period: '2021', complaintRate: 12.5, satisfaction: 3.4, digitalUsage: 0.4 },
  targets: { complaintRateChange: -0.2, satisfactionChange: 0.3, digitalUsage: 0.6, firstResponseCompliance: 1.0, handlerThroughputChange: 0.2 },
};
const BY = { actor: 'admin-1', at: '2027-01-05T02:00:00.000Z' };

/** The fields a 400 names. */
function badFields(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof BadRequestError) return (err.errors ?? []).map((e) => e.field);
    throw err;
  }
  throw new Error('expected a 400');
}

/** An in-memory PlanStore with the conditional-write contract of the port. */
function memoryStore(): PlanStore & { audits: AuditRecord[] } {
  let plan: Plan | undefined;
  const bases = new Map<string, CustomerBase>();
  const audits: AuditRecord[] = [];
  return {
    audits,
    getPlan: async () => plan,
    savePlan: async (next, audit, expected) => {
      if ((plan?.version ?? 0) !== expected) throw new Error('version conflict');
      plan = next;
      audits.push(audit);
    },
    getCustomerBase: async (q) => bases.get(q),
    saveCustomerBase: async (next, audit, expected) => {
      if ((bases.get(next.quarter)?.version ?? 0) !== expected) throw new Error('version conflict');
      bases.set(next.quarter, next);
      audits.push(audit);
    },
    auditTrail: async (resource, limit) => audits.filter((a) => a.resource === resource).reverse().slice(0, limit),
  };
}

describe('the plan', () => {
  it('accepts the design example and audits its first setting', () => {
    const change = nextPlan(undefined, DESIGN_PLAN, BY);
    expect(change.changed).toBe(true);
    if (!change.changed) return;
    expect(change.next).toMatchObject({ ...DESIGN_PLAN, version: 1, updatedBy: 'admin-1', updatedAt: BY.at });
    expect(change.audit).toMatchObject({ resource: 'plan', actor: 'admin-1', at: BY.at, version: 1, before: null });
    expect(change.audit.changes).toContainEqual({ field: 'baseline.complaintRate', before: null, after: 12.5 });
  });

  it('audits a change with before and after of each changed field only', () => {
    const first = nextPlan(undefined, DESIGN_PLAN, BY);
    if (!first.changed) throw new Error('unreachable');
    const body = { ...DESIGN_PLAN, targets: { ...DESIGN_PLAN.targets, digitalUsage: 0.65 } };
    const second = nextPlan(first.next, body, { actor: 'admin-2', at: '2027-02-01T00:00:00.000Z' });
    expect(second.changed && second.audit.changes).toEqual([{ field: 'targets.digitalUsage', before: 0.6, after: 0.65 }]);
    expect(second.next.version).toBe(2);
  });

  it('a body equal to the stored plan changes nothing and audits nothing', () => {
    const first = nextPlan(undefined, DESIGN_PLAN, BY);
    if (!first.changed) throw new Error('unreachable');
    expect(nextPlan(first.next, DESIGN_PLAN, BY)).toEqual({ changed: false, next: first.next });
  });

  it('names each bad field, including an unknown key by its own path', () => {
    const body = { baseline: { ...DESIGN_PLAN.baseline, digitalUsage: 1.4, complaintRat: 3 }, targets: { satisfactionChange: 'lots' } };
    expect(badFields(() => nextPlan(undefined, body, BY)).sort()).toEqual(['baseline.complaintRat', 'baseline.digitalUsage', 'targets.satisfactionChange']);
  });

  it('requires the baseline period and figures', () => {
    expect(badFields(() => nextPlan(undefined, { baseline: { period: ' ' }, targets: {} }, BY)).sort()).toEqual([
      'baseline.complaintRate',
      'baseline.digitalUsage',
      'baseline.period',
      'baseline.satisfaction',
    ]);
  });

  it('refuses a stale If-Match with 412 and accepts the current one', () => {
    expect(() => nextPlan(undefined, DESIGN_PLAN, BY, [3])).toThrow(PreconditionFailedError);
    expect(nextPlan(undefined, DESIGN_PLAN, BY, [0]).changed).toBe(true);
  });

  it('no generated body makes it throw anything but a 400', () => {
    fc.assert(
      fc.property(fc.anything(), (body) => {
        try {
          nextPlan(undefined, body, BY);
        } catch (err) {
          return err instanceof BadRequestError;
        }
        return true;
      }),
    );
  });

  it('putPlan writes the plan and its audit once, and a repeat writes nothing', async () => {
    const store = memoryStore();
    await putPlan(store, DESIGN_PLAN, BY);
    await putPlan(store, DESIGN_PLAN, BY);
    expect(store.audits).toHaveLength(1);
    expect((await store.getPlan())?.version).toBe(1);
  });
});

describe('the customer base of a quarter', () => {
  it('is stored with its quarter and audited', async () => {
    const store = memoryStore();
    const base = await putCustomerBase(store, '2027-Q1', { activeCustomers: 2_000_000, digitalActiveCustomers: 900_000 }, BY);
    expect(base).toMatchObject({ quarter: '2027-Q1', activeCustomers: 2_000_000, digitalActiveCustomers: 900_000, version: 1 });
    expect(store.audits[0]).toMatchObject({ resource: 'customer-base/2027-Q1', actor: 'admin-1', before: null, after: { activeCustomers: 2_000_000, digitalActiveCustomers: 900_000 } });
  });

  it('refuses digital-active customers above active customers, naming digitalActiveCustomers', () => {
    expect(badFields(() => nextCustomerBase('2027-Q1', undefined, { activeCustomers: 10, digitalActiveCustomers: 11 }, BY))).toEqual(['digitalActiveCustomers']);
  });

  it('refuses negative, fractional and missing counts', () => {
    expect(badFields(() => nextCustomerBase('2027-Q1', undefined, { activeCustomers: -1, digitalActiveCustomers: 0.5 }, BY)).sort()).toEqual(['activeCustomers', 'digitalActiveCustomers']);
    expect(badFields(() => nextCustomerBase('2027-Q1', undefined, {}, BY)).sort()).toEqual(['activeCustomers', 'digitalActiveCustomers']);
  });

  it('refuses a quarter that is not YYYY-Qn, naming quarter', async () => {
    expect(badFields(() => nextCustomerBase('2027-Q5', undefined, { activeCustomers: 1, digitalActiveCustomers: 1 }, BY))).toEqual(['quarter']);
    await expect(putCustomerBase(memoryStore(), '2027Q1', { activeCustomers: 1, digitalActiveCustomers: 1 }, BY)).rejects.toThrow(BadRequestError);
  });
});

describe('diffFields', () => {
  it('compares leaves by dotted path, and arrays whole', () => {
    expect(diffFields({ a: { b: 1, c: [1] } }, { a: { b: 1, c: [1, 2] }, d: 'x' })).toEqual([
      { field: 'a.c', before: [1], after: [1, 2] },
      { field: 'd', before: null, after: 'x' },
    ]);
  });
});
