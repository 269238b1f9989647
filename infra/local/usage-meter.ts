/**
 * Counts what the local stack would be billed for in AWS (requests, capacity units, invocations,
 * state transitions, events), so the benchmark can state cost per feedback item from a real run.
 * Served at GET /local/metrics.
 *
 * dynalite reports the table's capacity units only; DynamoDB also bills every write to a global
 * secondary index the item is (or was) in. The meter estimates those: a put writes each index whose
 * keys the item carries (the whole item for ALL projections, about one unit for INCLUDE/ids-only
 * ones); an update rewrites the ALL-projection indexes of the item it changes (our updates only touch
 * attributes the INCLUDE projections leave out).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { TABLE_INDEXES } from '../../functions/shared/adapters/table-design.ts';

interface Footprint {
  units: number;
  fullIndexes: number;
}

export class UsageMeter {
  readonly counts: Record<string, number> = {};
  private readonly footprints = new Map<string, Footprint>();

  add(name: string, n = 1): void {
    this.counts[name] = (this.counts[name] ?? 0) + n;
  }

  /** Counts every DynamoDB call and the capacity units it consumed (asks for them on each call). */
  instrumentDynamo(client: DynamoDBClient): void {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const input = (args as { input: Record<string, unknown> }).input;
        const command = String(context.commandName ?? 'Unknown').replace(/Command$/, '');
        if (['PutItem', 'UpdateItem', 'DeleteItem', 'GetItem', 'Query', 'BatchGetItem', 'BatchWriteItem'].includes(command)) input.ReturnConsumedCapacity = 'TOTAL';
        const result = await next(args);
        this.add(`dynamodb.${command}`);
        const consumed = (result.output as { ConsumedCapacity?: { CapacityUnits?: number } | Array<{ CapacityUnits?: number }> }).ConsumedCapacity;
        const units = Array.isArray(consumed) ? consumed.reduce((s, c) => s + (c.CapacityUnits ?? 0), 0) : (consumed?.CapacityUnits ?? 0);
        const isRead = ['GetItem', 'Query', 'BatchGetItem'].includes(command);
        this.add(isRead ? 'dynamodb.readUnits' : 'dynamodb.writeUnits', units);
        if (command === 'PutItem') this.add('dynamodb.indexWriteUnits', this.putIndexUnits(input, units));
        if (command === 'UpdateItem') this.add('dynamodb.indexWriteUnits', this.updateIndexUnits(input, units));
        return result;
      },
      { step: 'initialize', name: 'redressUsageMeter' },
    );
  }

  private putIndexUnits(input: Record<string, unknown>, units: number): number {
    const item = (input.Item ?? {}) as Record<string, unknown>;
    let full = 0;
    let partial = 0;
    for (const index of Object.values(TABLE_INDEXES)) {
      if (item[index.partitionKey] === undefined) continue;
      if ('projection' in index && index.projection) partial++;
      else full++;
    }
    this.footprints.set(keyOf(item.pk), { units, fullIndexes: full });
    return full * units + partial;
  }

  private updateIndexUnits(input: Record<string, unknown>, units: number): number {
    const key = (input.Key ?? {}) as Record<string, unknown>;
    const footprint = this.footprints.get(keyOf(key.pk));
    return footprint ? footprint.fullIndexes * Math.max(units, footprint.units) : 0;
  }

  /** The counts so far, resetting them (a worker reports its usage to the stack's meter this way). */
  take(): Record<string, number> {
    const counts = { ...this.counts };
    for (const k of Object.keys(this.counts)) delete this.counts[k];
    return counts;
  }

  /** Adds counts taken from another meter. */
  merge(counts: Record<string, number>): void {
    for (const [k, v] of Object.entries(counts)) this.add(k, v);
  }

  snapshot(): Record<string, number> {
    return { ...this.counts };
  }
}

/** A key attribute as the document client or the raw client passes it. */
function keyOf(value: unknown): string {
  if (typeof value === 'string') return value;
  return String((value as { S?: string } | undefined)?.S ?? '');
}
