/**
 * Counts what the local stack would be billed for in AWS (requests, capacity units, invocations,
 * state transitions, events), so the benchmark can state cost per feedback item from a real run.
 * Served at GET /local/metrics.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

export class UsageMeter {
  readonly counts: Record<string, number> = {};

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
        return result;
      },
      { step: 'initialize', name: 'redressUsageMeter' },
    );
  }

  snapshot(): Record<string, number> {
    return { ...this.counts };
  }
}
