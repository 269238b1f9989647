/**
 * The PlanStore port (functions/admin/reports/plan.ts) on the single table: the plan is one record
 * (`PLAN`/`PLAN`), each quarter's customer base another (`CUSTOMERS#<quarter>`/`BASE`). A change and its
 * audit record go out in one conditional UpdateItem: the new state is SET and the record appended to the
 * item's own `audit` list, only when the stored `version` is the one the change was decided on, so an
 * audit record exists exactly for the changes that were made, and two administrators cannot both win.
 */
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AuditRecord, CustomerBase, Plan } from '../../../../schemas/plan.ts';
import type { PlanStore } from '../../ports/plan-store.ts';
import { VersionConflictError } from '../../ports/feedback-repository.ts';
import { CUSTOMER_BASE_SK, PLAN_PK, PLAN_SK, customerBasePk } from '../table-design.ts';
import { isConditionFailure } from './dynamo-feedback-repository.ts';

type Key = { pk: string; sk: string };

const PLAN_KEY: Key = { pk: PLAN_PK, sk: PLAN_SK };
const baseKey = (quarter: string): Key => ({ pk: customerBasePk(quarter), sk: CUSTOMER_BASE_SK });

/** The audit trail's resource name → its record's key. */
function keyOfResource(resource: string): Key | undefined {
  if (resource === 'plan') return PLAN_KEY;
  const quarter = /^customer-base\/(\d{4}-Q[1-4])$/.exec(resource)?.[1];
  return quarter ? baseKey(quarter) : undefined;
}

export class DynamoPlanStore implements PlanStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async getPlan(): Promise<Plan | undefined> {
    const record = await this.read(PLAN_KEY);
    return record ? Plan.parse(pick(record, ['baseline', 'targets', 'updatedAt', 'updatedBy', 'version'])) : undefined;
  }

  savePlan(plan: Plan, audit: AuditRecord, expectedVersion: number): Promise<void> {
    return this.write(PLAN_KEY, { ...plan }, audit, expectedVersion, 'plan');
  }

  async getCustomerBase(quarter: string): Promise<CustomerBase | undefined> {
    const record = await this.read(baseKey(quarter));
    return record ? CustomerBase.parse(pick(record, ['quarter', 'activeCustomers', 'digitalActiveCustomers', 'updatedAt', 'updatedBy', 'version'])) : undefined;
  }

  saveCustomerBase(base: CustomerBase, audit: AuditRecord, expectedVersion: number): Promise<void> {
    return this.write(baseKey(base.quarter), { ...base }, audit, expectedVersion, `customer-base/${base.quarter}`);
  }

  async auditTrail(resource: string, limit: number): Promise<AuditRecord[]> {
    const key = keyOfResource(resource);
    if (!key) return [];
    const record = await this.read(key);
    const trail = ((record?.audit as unknown[] | undefined) ?? []).map((r) => AuditRecord.parse(r));
    return trail.reverse().slice(0, Math.max(0, limit));
  }

  private async read(key: Key): Promise<Record<string, unknown> | undefined> {
    const res = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
    return res.Item;
  }

  /** SETs every field of `state`, appends `audit`, on the expected version (0: the record must not exist). */
  private async write(key: Key, state: Record<string, unknown>, audit: AuditRecord, expectedVersion: number, what: string): Promise<void> {
    const fields = Object.keys(state);
    const names = Object.fromEntries(fields.map((f, i) => [`#f${i}`, f]));
    const values = Object.fromEntries(fields.map((f, i) => [`:f${i}`, state[f]]));
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: `SET ${fields.map((_, i) => `#f${i} = :f${i}`).join(', ')}, #audit = list_append(if_not_exists(#audit, :empty), :audit)`,
          ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(pk)' : '#version = :expected',
          ExpressionAttributeNames: { ...names, '#audit': 'audit', ...(expectedVersion === 0 ? {} : { '#version': 'version' }) },
          ExpressionAttributeValues: { ...values, ':empty': [], ':audit': [audit], ...(expectedVersion === 0 ? {} : { ':expected': expectedVersion }) },
        }),
      );
    } catch (err) {
      if (isConditionFailure(err)) throw new VersionConflictError(what, expectedVersion);
      throw err;
    }
  }
}

function pick(record: Record<string, unknown>, fields: string[]): Record<string, unknown> {
  return Object.fromEntries(fields.filter((f) => record[f] !== undefined).map((f) => [f, record[f]]));
}
