/**
 * Forwards every event on the local bus to REDRESS_EVENT_WEBHOOK_URL, signed with Standard Webhooks
 * (REDRESS_EVENT_WEBHOOK_SECRET, first value; `webhook-id` = the event id, so a receiver can drop
 * repeats). A receiver that fails (non-2xx, timeout, refused) is retried with exponential backoff; after
 * the last attempt the delivery is written to a dead-letter file. Pending deliveries are journaled and
 * resumed after a restart.
 */
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { signStandardWebhook } from '../../functions/shared/channels/standard-webhooks.ts';
import { errorFields, type Logger } from '../../functions/shared/logger.ts';
import { Journal } from './journal.ts';
import type { BusEnvelope, LocalEventBus } from './local-event-bus.ts';

type Record = { op: 'pending'; event: BusEnvelope } | { op: 'done'; id: string };

export interface ForwarderOptions {
  url: string;
  secret: string;
  dataDir: string;
  logger: Logger;
  /** Delays between attempts, ms (default 0.5 s doubling to 16 s: six attempts over ~30 s). */
  backoffMs?: number[];
  timeoutMs?: number;
}

export class EventWebhookForwarder {
  private readonly pending = new Map<string, BusEnvelope>();
  private journal!: Journal;
  private unsubscribe: (() => void) | undefined;
  private closed = false;
  private readonly inFlight = new Set<Promise<void>>();

  private constructor(private readonly options: ForwarderOptions) {}

  /** Starts forwarding new events from `bus`, and resumes deliveries left pending by a previous run. */
  static start(bus: LocalEventBus, options: ForwarderOptions): EventWebhookForwarder {
    const f = new EventWebhookForwarder(options);
    f.journal = Journal.open<Record>(
      join(options.dataDir, 'event-webhook-pending.jsonl'),
      (r) => (r.op === 'pending' ? f.pending.set(r.event.id, r.event) : f.pending.delete(r.id)),
      () => [...f.pending.values()].map((event) => ({ op: 'pending', event })),
    );
    for (const event of f.pending.values()) f.track(f.deliver(event));
    f.unsubscribe = bus.subscribe((event) => {
      f.pending.set(event.id, event);
      f.track(f.journal.append({ op: 'pending', event }).then(() => f.deliver(event)));
    });
    return f;
  }

  private track(p: Promise<void>): void {
    const tracked = p.catch((err: unknown) => this.options.logger.error('event forwarding failed', errorFields(err))).finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }

  private async deliver(event: BusEnvelope): Promise<void> {
    const backoff = this.options.backoffMs ?? [500, 1000, 2000, 4000, 8000, 16000];
    const body = JSON.stringify(event);
    let last = '';
    for (let attempt = 0; attempt <= backoff.length && !this.closed; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, backoff[attempt - 1]));
      if (this.closed) return;
      const ts = Math.floor(Date.now() / 1000);
      try {
        const res = await fetch(this.options.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'webhook-id': event.id,
            'webhook-timestamp': String(ts),
            'webhook-signature': signStandardWebhook(this.options.secret, event.id, ts, body),
          },
          body,
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
        });
        if (res.ok) return void (await this.finish(event.id));
        last = `HTTP ${res.status}`;
      } catch (err) {
        last = (err as Error).message;
      }
    }
    if (this.closed) return;
    await appendFile(
      join(this.options.dataDir, 'event-webhook-dead-letters.jsonl'),
      JSON.stringify({ at: new Date().toISOString(), url: this.options.url, attempts: backoff.length + 1, lastError: last, event }) + '\n',
    );
    this.options.logger.warn('event webhook gave up', { eventId: event.id, lastError: last });
    await this.finish(event.id);
  }

  private async finish(id: string): Promise<void> {
    this.pending.delete(id);
    await this.journal.append({ op: 'done', id });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.unsubscribe?.();
    await Promise.allSettled([...this.inFlight]);
    await this.journal.close();
  }
}
