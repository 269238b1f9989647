/** In-memory test doubles for the ports (pure-logic tests only; adapters are tested against dynalite or mocks). */
import type { Classification, FeedbackItem, Source, TimelineEntry } from '../../schemas/feedback.ts';
import type { Classifier, ClassifyInput } from '../../functions/shared/ports/classifier.ts';
import type { DomainEvent, EventBus } from '../../functions/shared/ports/event-bus.ts';
import { VersionConflictError, outboxKey, type FeedbackRepository, type OutboxEntry, type StoredFeedback } from '../../functions/shared/ports/feedback-repository.ts';
import type { TimerRef, TimerStart } from '../../functions/shared/ports/clock-timer.ts';
import type { ClockTimer } from '../../functions/shared/ports/clock-timer.ts';
import type { Conversation, SentReplyIndex, SentReplyRef } from '../../functions/shared/ports/sent-reply-index.ts';

export class MemoryRepository implements FeedbackRepository {
  readonly items = new Map<string, StoredFeedback>();
  readonly receipts = new Set<string>();
  failNextComplete = false;

  async recordReceipt(id: string): Promise<boolean> {
    if (this.receipts.has(id)) return false;
    this.receipts.add(id);
    return true;
  }
  async createIfAbsent(item: FeedbackItem, outbox: OutboxEntry[]): Promise<{ created: boolean; stored: StoredFeedback }> {
    const existing = this.items.get(item.id);
    if (existing) return { created: false, stored: structuredClone(existing) };
    const stored: StoredFeedback = { item: structuredClone(item), outbox: Object.fromEntries(outbox.map((e) => [outboxKey(e), e])) };
    this.items.set(item.id, stored);
    return { created: true, stored: structuredClone(stored) };
  }
  async replace(item: FeedbackItem, expectedVersion: number, outbox: Record<string, OutboxEntry>): Promise<StoredFeedback> {
    const current = this.items.get(item.id);
    if (!current || current.item.version !== expectedVersion) throw new VersionConflictError(item.id, expectedVersion);
    const stored = { item: structuredClone(item), outbox: structuredClone(outbox) };
    this.items.set(item.id, stored);
    return structuredClone(stored);
  }
  async appendTimeline(id: string, entry: TimelineEntry, maxVersion: number): Promise<StoredFeedback> {
    const current = this.items.get(id);
    if (!current || current.item.version > maxVersion) throw new VersionConflictError(id, maxVersion);
    current.item = { ...current.item, timeline: [...current.item.timeline, structuredClone(entry)], version: current.item.version + 1 };
    return structuredClone(current);
  }
  async completeOutbox(id: string, keys: string[]): Promise<void> {
    if (this.failNextComplete) {
      this.failNextComplete = false;
      throw new Error('simulated crash before completing the outbox');
    }
    const s = this.items.get(id)!;
    for (const k of keys) delete s.outbox[k];
  }
  async get(id: string): Promise<StoredFeedback | undefined> {
    const s = this.items.get(id);
    return s ? structuredClone(s) : undefined;
  }
}

/** A bus that records every publish call (no dedupe: it shows what the pipeline sends). */
export class RecordingBus implements EventBus {
  readonly published: DomainEvent[] = [];
  failNext = false;
  async publish(events: DomainEvent[]): Promise<void> {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('simulated EventBridge outage');
    }
    this.published.push(...events);
  }
}

/** A classifier that answers what the test says (kind by a marker in the text). */
export class FixedClassifier implements Classifier {
  calls = 0;
  async classify(input: ClassifyInput): Promise<Classification> {
    this.calls++;
    const kind = input.text.includes('complain') ? 'complaint' : input.text.includes('?') ? 'inquiry' : 'praise';
    return {
      kind,
      category: 'other',
      severity: 'low',
      sentiment: 0,
      language: input.language ?? 'en',
      confidence: 1,
      reasons: ['test'],
      codes: { jrt0169: { channel: '00', business: '00', reason: '00' } },
    };
  }
}

/** A clock timer that records what it was asked to start and stop. */
export class RecordingTimer implements ClockTimer {
  started: TimerStart[] = [];
  stopped: TimerRef[] = [];
  async start(t: TimerStart): Promise<void> {
    this.started.push(t);
  }
  async stop(t: TimerRef): Promise<void> {
    this.stopped.push(t);
  }
}

/** The sent-reply pointers in memory, answering as the DynamoDB adapter does (latest first up to a watermark). */
export class MemorySentReplyIndex implements SentReplyIndex {
  readonly byMessage = new Map<string, SentReplyRef>();
  readonly byConversation = new Map<string, Array<SentReplyRef & { sentAt: string }>>();

  private static key(c: Conversation): string {
    return `${c.source}#${c.accountId}#${c.customerId}`;
  }
  async remember(source: Source, platformMessageId: string, ref: SentReplyRef): Promise<void> {
    this.byMessage.set(`${source}#${platformMessageId}`, { ...ref });
  }
  async find(source: Source, platformMessageId: string): Promise<SentReplyRef | undefined> {
    return this.byMessage.get(`${source}#${platformMessageId}`);
  }
  async rememberSent(conversation: Conversation, sentAt: string, ref: SentReplyRef): Promise<void> {
    const list = (this.byConversation.get(MemorySentReplyIndex.key(conversation)) ?? []).filter((r) => r.replyId !== ref.replyId);
    this.byConversation.set(MemorySentReplyIndex.key(conversation), [...list, { ...ref, sentAt }]);
  }
  async sentBefore(conversation: Conversation, watermark: string, limit: number): Promise<SentReplyRef[]> {
    return (this.byConversation.get(MemorySentReplyIndex.key(conversation)) ?? [])
      .filter((r) => r.sentAt <= watermark)
      .sort((a, b) => b.sentAt.localeCompare(a.sentAt))
      .slice(0, limit)
      .map(({ feedbackId, replyId }) => ({ feedbackId, replyId }));
  }
}
