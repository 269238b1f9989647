/**
 * The local event bus: keeps every event in the shape an EventBridge rule target receives, journaled
 * so the list survives restarts, and drops an event whose id it has already seen (our event ids are
 * deterministic per state change, so a retried publish cannot show up twice).
 */
import { join } from 'node:path';
import { EVENT_SOURCE } from '../../schemas/event-names.ts';
import type { DomainEvent, EventBus } from '../../functions/shared/ports/event-bus.ts';
import { Journal } from './journal.ts';

/** An event as EventBridge delivers it to a target. */
export interface BusEnvelope {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

export type EventListener = (event: BusEnvelope) => void;

export class LocalEventBus implements EventBus {
  private readonly events: BusEnvelope[] = [];
  private readonly ids = new Set<string>();
  private readonly listeners: EventListener[] = [];
  private journal!: Journal;

  /** Opens the bus journaled under `dir/events.jsonl`. */
  static open(dir: string, options: { fsync?: boolean } = {}): LocalEventBus {
    const bus = new LocalEventBus();
    bus.journal = Journal.open<BusEnvelope>(
      join(dir, 'events.jsonl'),
      (e) => {
        if (!bus.ids.has(e.id)) {
          bus.ids.add(e.id);
          bus.events.push(e);
        }
      },
      () => bus.events,
      options,
    );
    return bus;
  }

  async publish(events: DomainEvent[]): Promise<void> {
    const fresh: BusEnvelope[] = [];
    for (const e of events) {
      if (this.ids.has(e.id)) continue;
      this.ids.add(e.id);
      fresh.push({
        version: '0',
        id: e.id,
        'detail-type': e.detailType,
        source: EVENT_SOURCE,
        account: '000000000000',
        time: e.time,
        region: 'local',
        resources: [],
        detail: e.detail,
      });
    }
    if (fresh.length === 0) return;
    try {
      await this.journal.appendMany(fresh);
    } catch (err) {
      for (const e of fresh) this.ids.delete(e.id);
      throw err;
    }
    this.events.push(...fresh);
    for (const e of fresh) for (const l of this.listeners) l(e);
  }

  /** Calls `listener` for every event published from now on (rules, webhook forwarding, tests). */
  subscribe(listener: EventListener): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  /** Events oldest first, optionally of one detail-type, paginated by position. */
  list(options: { type?: string; offset?: number; limit?: number } = {}): { items: BusEnvelope[]; next?: number } {
    const all = options.type ? this.events.filter((e) => e['detail-type'] === options.type) : this.events;
    const offset = options.offset ?? 0;
    const limit = options.limit ?? all.length;
    const items = all.slice(offset, offset + limit);
    return offset + limit < all.length ? { items, next: offset + limit } : { items };
  }

  get count(): number {
    return this.events.length;
  }

  async close(): Promise<void> {
    await this.journal.close();
  }
}
