/**
 * Counts what the local stack would be billed for in AWS (requests, capacity units, invocations,
 * state transitions, events), so the benchmark can state cost per feedback item from a real run.
 * Served at GET /local/metrics.
 *
 * dynalite reports the table's capacity units only; DynamoDB also bills every write to a global
 * secondary index. The meter estimates those by DynamoDB's rules (developer guide, "Global secondary
 * indexes", writes): for each index, a write that puts an item into it costs one write of the index
 * entry, one that takes it out one write of the old entry, one that changes its index key both, one
 * that changes a projected attribute (any attribute, for an ALL projection) one write of the new
 * entry, and one that changes nothing the index holds nothing. An index entry is its projected
 * attributes plus the table's and the index's keys plus 100 bytes, billed per started KB.
 *
 * To know what changed, the meter asks for the old item on a put or delete (`ReturnValues: ALL_OLD`)
 * and the new one on an update (`ALL_NEW`) when the caller asked for nothing, and hides that answer
 * from the caller. An update's changed attributes are the ones its expression names.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { TABLE_INDEXES, TABLE_KEY, type TableIndex } from '../../functions/shared/adapters/table-design.ts';

type Item = Record<string, unknown>;

export class UsageMeter {
  readonly counts: Record<string, number> = {};

  /** @param indexes the table's GSIs as the local stack creates them (TABLE_INDEXES). */
  constructor(private readonly indexes: readonly TableIndex[] = Object.values(TABLE_INDEXES)) {}

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
        // What the index estimate needs to see, asked for only when the caller asked for nothing.
        const asked = input.ReturnValues;
        const borrowed = asked === undefined && ['PutItem', 'UpdateItem', 'DeleteItem'].includes(command);
        if (borrowed) input.ReturnValues = command === 'UpdateItem' ? 'ALL_NEW' : 'ALL_OLD';
        let result;
        try {
          result = await next(args);
        } finally {
          if (borrowed) delete input.ReturnValues;
        }
        this.add(`dynamodb.${command}`);
        const output = result.output as { ConsumedCapacity?: { CapacityUnits?: number } | Array<{ CapacityUnits?: number }>; Attributes?: Item };
        const consumed = output.ConsumedCapacity;
        const units = Array.isArray(consumed) ? consumed.reduce((s, c) => s + (c.CapacityUnits ?? 0), 0) : (consumed?.CapacityUnits ?? 0);
        const isRead = ['GetItem', 'Query', 'BatchGetItem'].includes(command);
        this.add(isRead ? 'dynamodb.readUnits' : 'dynamodb.writeUnits', units);
        const returned = output.Attributes;
        if (borrowed) delete output.Attributes;
        // The total, and each index's share (`dynamodb.indexWriteUnits.<IndexName>`).
        const perIndex = (name: string, n: number) => this.add(`dynamodb.indexWriteUnits.${name}`, n);
        if (command === 'PutItem') this.add('dynamodb.indexWriteUnits', indexWriteUnits(this.indexes, asked === undefined || asked === 'ALL_OLD' ? returned : undefined, input.Item as Item, perIndex));
        if (command === 'DeleteItem' && (asked === undefined || asked === 'ALL_OLD')) this.add('dynamodb.indexWriteUnits', indexWriteUnits(this.indexes, returned, undefined, perIndex));
        if (command === 'UpdateItem' && returned && (asked === undefined || asked === 'ALL_NEW')) {
          this.add('dynamodb.indexWriteUnits', updateIndexUnits(this.indexes, returned, updatedAttributes(input), perIndex));
        }
        return result;
      },
      { step: 'initialize', name: 'redressUsageMeter' },
    );
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

const ATTRIBUTE_VALUE_TAGS = new Set(['S', 'N', 'B', 'BOOL', 'NULL', 'M', 'L', 'SS', 'NS', 'BS']);

/** True for a raw client's attribute value (`{S: '…'}`), false for a document client's plain value. */
function isAttributeValue(v: unknown): v is Record<string, unknown> {
  if (!v || typeof v !== 'object' || Array.isArray(v) || v instanceof Uint8Array || v instanceof Set) return false;
  const keys = Object.keys(v);
  return keys.length === 1 && ATTRIBUTE_VALUE_TAGS.has(keys[0]!);
}

const utf8 = (s: string) => Buffer.byteLength(s);
const numberSize = (n: number | string) => Math.ceil(String(n).replace(/^-|[.]|e.*$/gi, '').replace(/^0+/, '').length / 2) + 1;

/** A value's size as DynamoDB counts it (strings and binaries by bytes, numbers by digits, 3 bytes + 1 per element for lists and maps). */
export function valueSize(v: unknown): number {
  if (isAttributeValue(v)) {
    const [tag, inner] = Object.entries(v)[0]!;
    if (tag === 'S') return utf8(String(inner));
    if (tag === 'N') return numberSize(String(inner));
    if (tag === 'B') return (inner as Uint8Array).length;
    if (tag === 'BOOL' || tag === 'NULL') return 1;
    if (tag === 'L') return 3 + (inner as unknown[]).reduce<number>((s, e) => s + 1 + valueSize(e), 0);
    if (tag === 'M') return 3 + Object.entries(inner as Item).reduce((s, [k, e]) => s + 1 + utf8(k) + valueSize(e), 0);
    return (inner as unknown[]).reduce<number>((s, e) => s + (tag === 'NS' ? numberSize(String(e)) : tag === 'SS' ? utf8(String(e)) : (e as Uint8Array).length), 0);
  }
  if (typeof v === 'string') return utf8(v);
  if (typeof v === 'number' || typeof v === 'bigint') return numberSize(String(v));
  if (typeof v === 'boolean' || v === null || v === undefined) return 1;
  if (v instanceof Uint8Array) return v.length;
  if (v instanceof Set) return [...v].reduce<number>((s, e) => s + valueSize(e), 0);
  if (Array.isArray(v)) return 3 + v.reduce<number>((s, e) => s + 1 + valueSize(e), 0);
  return 3 + Object.entries(v as Item).reduce((s, [k, e]) => s + 1 + utf8(k) + valueSize(e), 0);
}

/** The attributes an index entry holds: its keys, the table's keys and the projection (every attribute for ALL). */
function entryAttributes(index: TableIndex, item: Item): string[] {
  if (!index.projection) return Object.keys(item);
  return [...new Set([TABLE_KEY.partitionKey, TABLE_KEY.sortKey, index.partitionKey, index.sortKey, ...index.projection])].filter((a) => item[a] !== undefined);
}

/** Write units of one index entry: its attributes (names and values) + 100 bytes, per started KB. */
export function entryUnits(index: TableIndex, item: Item): number {
  const bytes = entryAttributes(index, item).reduce((s, a) => s + utf8(a) + valueSize(item[a]), 100);
  return Math.ceil(bytes / 1024);
}

const inIndex = (index: TableIndex, item: Item | undefined): item is Item => !!item && item[index.partitionKey] !== undefined && item[index.sortKey] !== undefined;
const same = (a: unknown, b: unknown) => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v instanceof Set) return [...v].map(canonical).sort();
  if (v && typeof v === 'object' && !(v instanceof Uint8Array)) return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Item)[k])]));
  return v;
}

/** Index write units of replacing `old` by `next` (either absent: a new item, a deleted one), by DynamoDB's rules. */
export function indexWriteUnits(indexes: readonly TableIndex[], old: Item | undefined, next: Item | undefined, perIndex?: (name: string, units: number) => void): number {
  let units = 0;
  for (const index of indexes) {
    const n = entryWrites(index, old, next);
    if (perIndex && n > 0) perIndex(index.name, n);
    units += n;
  }
  return units;
}

/** One index's write units of replacing `old` by `next`. */
function entryWrites(index: TableIndex, old: Item | undefined, next: Item | undefined): number {
  const was = inIndex(index, old);
  const is = inIndex(index, next);
  if (!was && !is) return 0;
  if (!is) return entryUnits(index, old!);
  if (!was) return entryUnits(index, next!);
  const keyMoved = !same(old![index.partitionKey], next![index.partitionKey]) || !same(old![index.sortKey], next![index.sortKey]);
  if (keyMoved) return entryUnits(index, old!) + entryUnits(index, next!);
  const attributes = new Set([...entryAttributes(index, old!), ...entryAttributes(index, next!)]);
  return [...attributes].some((a) => !same(old![a], next![a])) ? entryUnits(index, next!) : 0;
}

/**
 * Index write units of an update whose result is `next` and that set or removed `changed` (top-level
 * attribute names): an index whose keys it changed is written twice (the old entry out, the new in),
 * one whose projection it changed once; the old item is not known, so an entry is taken at its new size.
 */
export function updateIndexUnits(indexes: readonly TableIndex[], next: Item, changed: ReadonlySet<string>, perIndex?: (name: string, units: number) => void): number {
  let units = 0;
  for (const index of indexes) {
    const before = units;
    const keyChanged = changed.has(index.partitionKey) || changed.has(index.sortKey);
    const is = inIndex(index, next);
    if (keyChanged) units += is ? 2 * entryUnits(index, next) : 1;
    else if (is && (index.projection ? index.projection.some((a) => changed.has(a)) : changed.size > 0)) units += entryUnits(index, next);
    if (perIndex && units > before) perIndex(index.name, units - before);
  }
  return units;
}

const EXPRESSION_WORDS = new Set(['SET', 'REMOVE', 'ADD', 'DELETE', 'if_not_exists', 'list_append']);

/** The top-level attributes an UpdateItem's expression names (each path's first element). */
export function updatedAttributes(input: Record<string, unknown>): Set<string> {
  const expression = String(input.UpdateExpression ?? '');
  const names = (input.ExpressionAttributeNames ?? {}) as Record<string, string>;
  const changed = new Set<string>();
  // A path's first element: a name (#x) or a bare word, not after a '.' (nested) or ':' (a value).
  for (const m of expression.matchAll(/(^|[^.:#\w])(#?[A-Za-z_][\w]*)/g)) {
    const token = m[2]!;
    if (EXPRESSION_WORDS.has(token)) continue;
    changed.add(token.startsWith('#') ? (names[token] ?? token) : token);
  }
  return changed;
}
