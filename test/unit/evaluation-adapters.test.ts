/**
 * The quarterly evaluation's DynamoDB adapters under aws-sdk-client-mock (issue 16): the plan store's
 * change and audit record go out in one conditional update (and a lost race is a VersionConflictError),
 * the report source reads only the report indexes (never a scan), and the rating pointer keeps the
 * customer's platform id out of its key.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../../functions/shared/adapters/aws/dynamo-feedback-repository.ts';
import { DynamoPlanStore } from '../../functions/shared/adapters/aws/dynamo-plan-store.ts';
import { DynamoRatingPointerStore } from '../../functions/shared/adapters/aws/dynamo-rating-pointer-store.ts';
import { DynamoReportSource } from '../../functions/shared/adapters/aws/dynamo-report-source.ts';
import { auditRecord } from '../../functions/admin/reports/plan.ts';
import { quarterWindow } from '../../functions/shared/reports/quarters.ts';
import { VersionConflictError } from '../../functions/shared/ports/feedback-repository.ts';
import type { Plan } from '../../schemas/plan.ts';

const ddb = mockClient(DynamoDBDocumentClient);
const doc = createDocumentClient(new DynamoDBClient({ region: 'eu-west-1' }));
beforeEach(() => ddb.reset());

const PLAN: Plan = {
  baseline: { period: '2021', complaintRate: 12.5, satisfaction: 3.4, digitalUsage: 0.4 },
  targets: { complaintRateChange: -0.2 },
  updatedAt: '2026-12-01T00:00:00.000Z',
  updatedBy: 'admin-1',
  version: 2,
};

describe('DynamoPlanStore', () => {
  it('writes the plan and appends its audit record in one update conditional on the version read', async () => {
    ddb.on(UpdateCommand).resolves({});
    const audit = auditRecord('plan', { targets: { complaintRateChange: -0.1 } }, { targets: { complaintRateChange: -0.2 } }, 2, { actor: 'admin-1', at: PLAN.updatedAt });
    await new DynamoPlanStore(doc, 't').savePlan(PLAN, audit, 1);
    const [call] = ddb.commandCalls(UpdateCommand);
    const input = call!.args[0].input;
    expect(input.Key).toEqual({ pk: 'PLAN', sk: 'PLAN' });
    expect(input.ConditionExpression).toBe('#version = :expected');
    expect(input.ExpressionAttributeValues![':expected']).toBe(1);
    expect(input.UpdateExpression).toContain('list_append(if_not_exists(#audit, :empty), :audit)');
    expect(input.ExpressionAttributeValues![':audit']).toEqual([audit]);
  });

  it('turns a failed condition into a VersionConflictError (another administrator won)', async () => {
    ddb.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'no', $metadata: {} }));
    const audit = auditRecord('plan', null, { a: 1 }, 1, { actor: 'admin-1', at: PLAN.updatedAt });
    await expect(new DynamoPlanStore(doc, 't').savePlan({ ...PLAN, version: 1 }, audit, 0)).rejects.toBeInstanceOf(VersionConflictError);
  });

  it('reads the audit trail newest first', async () => {
    const first = auditRecord('plan', null, { a: 1 }, 1, { actor: 'a', at: '2026-01-01T00:00:00.000Z' });
    const second = auditRecord('plan', { a: 1 }, { a: 2 }, 2, { actor: 'b', at: '2026-02-01T00:00:00.000Z' });
    ddb.on(GetCommand).resolves({ Item: { ...PLAN, audit: [first, second] } });
    expect((await new DynamoPlanStore(doc, 't').auditTrail('plan', 10)).map((r) => r.version)).toEqual([2, 1]);
  });
});

describe('DynamoReportSource', () => {
  it('reads the quarter from ReportByDayV2 and earlier complaints from ComplaintActivityByDayV2, never a scan', async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });
    const window = quarterWindow('2026-Q3', 'Asia/Shanghai');
    await new DynamoReportSource(doc, 't', () => new Date('2026-10-02T00:00:00.000Z')).feedQuarter(window, { items: () => {}, priorComplaints: () => {} });
    const inputs = ddb.commandCalls(QueryCommand).map((c) => c.args[0].input);
    expect(ddb.commandCalls(ScanCommand)).toHaveLength(0);
    const byIndex = (name: string) => inputs.filter((i) => i.IndexName === name);
    // Q3 in Beijing time is 2026-06-30T16:00Z to 2026-09-30T16:00Z: 93 UTC days.
    expect(byIndex('ReportByDayV2')).toHaveLength(93);
    expect(byIndex('ReportByDayV2')[0]!.ExpressionAttributeValues).toMatchObject({ ':pk': 'DAY#2026-06-30', ':lo': window.from, ':hi': window.to });
    // Activity from the quarter's first UTC day to today (2026-10-02).
    expect(byIndex('ComplaintActivityByDayV2')).toHaveLength(95);
    expect(byIndex('ComplaintActivityByDayV2')[0]!.KeyConditionExpression).toBe('#pk = :pk AND #sk < :lo');
    expect(inputs.every((i) => i.ProjectionExpression !== undefined)).toBe(true);
  });
});

describe('DynamoRatingPointerStore', () => {
  it('keys the pointer by source and a hash of the customer id, with an epoch-seconds TTL', async () => {
    ddb.on(PutCommand).resolves({});
    await new DynamoRatingPointerStore(doc, 't').put('wechat', 'o-openid-1', { feedbackId: 'fb_1', resolvedAt: '2026-12-01T00:00:00.000Z', expiresAt: '2026-12-15T00:00:00.000Z' });
    const item = ddb.commandCalls(PutCommand)[0]!.args[0].input.Item!;
    expect(String(item.pk)).toMatch(/^RATE#wechat#[A-Za-z0-9_-]{43}$/);
    expect(JSON.stringify(item)).not.toContain('o-openid-1');
    expect(item.expiresAt).toBe(Date.parse('2026-12-15T00:00:00.000Z') / 1000);
  });

  it('ignores a pointer whose window has closed (before the TTL removes it)', async () => {
    ddb.on(GetCommand).resolves({ Item: { feedbackId: 'fb_1', resolvedAt: '2026-12-01T00:00:00.000Z', closesAt: '2026-12-15T00:00:00.000Z' } });
    const store = new DynamoRatingPointerStore(doc, 't');
    expect(await store.get('wechat', 'o-openid-1', new Date('2026-12-16T00:00:00.000Z'))).toBeUndefined();
    expect(await store.get('wechat', 'o-openid-1', new Date('2026-12-10T00:00:00.000Z'))).toMatchObject({ feedbackId: 'fb_1' });
  });
});
