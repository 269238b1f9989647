import { describe, expect, it } from 'vitest';
import type { Classification, FeedbackMessage } from '../../../schemas/feedback.ts';
import type { Classifier } from '../ports/classifier.ts';
import { loadTriagePolicy } from '../triage/triage-policy.ts';
import { FixedClassifier, MemoryRepository, RecordingBus } from '../../../test/helpers/fakes.ts';
import { FaqIndexCache } from '../faq/faq-index-cache.ts';
import { seedFaq } from '../faq/faq-service.ts';
import { MemoryFaqStore } from '../faq/memory-faq-store.ts';
import { FaqSuggestionSource } from '../faq/suggestion-source.ts';
import { ENGLISH_FAQ } from '../faq/test-entries.ts';
import { PoisonMessageError, parseQueuedMessage, processFeedbackMessage } from './process-feedback.ts';

const message = (text: string, id = 'fb_test1'): FeedbackMessage => ({
  id,
  source: 'web',
  channel: 'web',
  externalId: 'msg_1',
  receivedAt: '2026-11-28T09:30:00.000Z',
  text,
  customer: { id: 'c-1' },
});

function setup() {
  const repository = new MemoryRepository();
  const eventBus = new RecordingBus();
  const classifier = new FixedClassifier();
  return { repository, eventBus, classifier, deps: { repository, eventBus, classifier } };
}

describe('processFeedbackMessage', () => {
  it('stores a complaint once and publishes Feedback.Received and Complaint.Opened', async () => {
    const { deps, repository, eventBus } = setup();
    const result = await processFeedbackMessage(message('I complain about fees'), deps);
    expect(result).toEqual({ id: 'fb_test1', created: true, kind: 'complaint', completed: ['fb_test1:Feedback.Received', 'fb_test1:Complaint.Opened'] });
    expect(repository.items.get('fb_test1')?.item).toMatchObject({ kind: 'complaint', status: 'open', version: 1, assignee: null });
    expect(repository.items.get('fb_test1')?.outbox).toEqual({});
    expect(eventBus.published.map((e) => e.detailType)).toEqual(['Feedback.Received', 'Complaint.Opened']);
    expect(eventBus.published[1]!.detail).toMatchObject({ feedbackId: 'fb_test1', complaintId: 'fb_test1', kind: 'complaint', schemaVersion: 1 });
  });

  it('publishes only Feedback.Received for other kinds, and never the text', async () => {
    const { deps, eventBus } = setup();
    await processFeedbackMessage(message('Thanks, great branch staff'), deps);
    expect(eventBus.published.map((e) => e.detailType)).toEqual(['Feedback.Received']);
    expect(JSON.stringify(eventBus.published)).not.toContain('great branch staff');
  });

  it('a redelivery after completion makes no second item and no second event', async () => {
    const { deps, eventBus, repository } = setup();
    await processFeedbackMessage(message('I complain'), deps);
    const again = await processFeedbackMessage(message('I complain'), deps);
    expect(again).toEqual({ id: 'fb_test1', created: false, kind: 'complaint', completed: [] });
    expect(repository.items.size).toBe(1);
    expect(eventBus.published).toHaveLength(2);
  });

  it('a crash between the put and the publish is completed by the retry, once', async () => {
    const { deps, eventBus } = setup();
    eventBus.failNext = true;
    await expect(processFeedbackMessage(message('I complain'), deps)).rejects.toThrow('outage');
    expect(eventBus.published).toHaveLength(0);
    const retry = await processFeedbackMessage(message('I complain'), deps);
    expect(retry.created).toBe(false);
    expect(eventBus.published.map((e) => e.detailType)).toEqual(['Feedback.Received', 'Complaint.Opened']);
  });

  it('a crash after publishing re-sends events with the same ids (so the bus can drop them)', async () => {
    const { deps, eventBus, repository } = setup();
    repository.failNextComplete = true;
    await expect(processFeedbackMessage(message('I complain'), deps)).rejects.toThrow('crash');
    await processFeedbackMessage(message('I complain'), deps);
    const ids = eventBus.published.map((e) => e.id);
    expect(ids).toEqual(['fb_test1:Feedback.Received', 'fb_test1:Complaint.Opened', 'fb_test1:Feedback.Received', 'fb_test1:Complaint.Opened']);
    expect(new Set(ids).size).toBe(2);
  });
});

/** A classifier that answers one reading, with the calibrated fields triage reads. */
const reading = (fields: Partial<Classification>): Classifier => ({
  classify: async () => ({
    kind: 'inquiry', category: 'transfers_payments', severity: 'medium', sentiment: -0.4, language: 'en', confidence: 0.7, reasons: ['test'],
    codes: { jrt0169: { channel: '00', business: '00', reason: '00' } },
    probabilities: { complaint: 0.005, inquiry: 0.915, suggestion: 0.05, praise: 0.03 }, negative: false, supportedLanguage: true,
    ...fields,
  }),
});

describe('processFeedbackMessage: triage', () => {
  it('holds a negative message not taken as a complaint in triage, due the triage clock after receipt', async () => {
    const { deps, repository, eventBus } = setup();
    const triagePolicy = loadTriagePolicy({ REDRESS_SLA_TRIAGE: 'PT2H' });
    await processFeedbackMessage(message('my transfer has been pending for 3 days'), { ...deps, classifier: reading({ negative: true }), triagePolicy });
    const item = repository.items.get('fb_test1')!.item;
    expect(item.triage).toEqual({ reason: 'negative_not_complaint', dueAt: '2026-11-28T11:30:00.000Z' });
    expect(item).toMatchObject({ kind: 'inquiry', status: 'received', clocks: [] });
    expect(item.classification).toMatchObject({ negative: true, supportedLanguage: true, probabilities: { complaint: 0.005 } });
    expect(eventBus.published.map((e) => e.detailType)).toEqual(['Feedback.Received']);
  });

  it('triages an inquiry whose complaint probability reaches the bank\'s threshold, and not one below it', async () => {
    const triagePolicy = loadTriagePolicy({ REDRESS_TRIAGE_THRESHOLD: '0.25' });
    const at = setup();
    await processFeedbackMessage(message('why was I charged this fee?'), { ...at.deps, classifier: reading({ probabilities: { complaint: 0.25, inquiry: 0.75, suggestion: 0, praise: 0 } }), triagePolicy });
    expect(at.repository.items.get('fb_test1')!.item.triage?.reason).toBe('uncertain_kind');
    const below = setup();
    await processFeedbackMessage(message('how do I change my PIN?'), { ...below.deps, classifier: reading({ probabilities: { complaint: 0.24, inquiry: 0.76, suggestion: 0, praise: 0 } }), triagePolicy });
    expect(below.repository.items.get('fb_test1')!.item.triage).toBeUndefined();
  });

  it('triages a message in a language the classifier does not read, even when it opened as a complaint', async () => {
    const { deps, repository, eventBus } = setup();
    await processFeedbackMessage(message('Tôi muốn khiếu nại'), { ...deps, classifier: reading({ kind: 'complaint', language: 'vi', supportedLanguage: false }) });
    const item = repository.items.get('fb_test1')!.item;
    expect(item.triage?.reason).toBe('unsupported_language');
    expect(item.status).toBe('open');
    expect(eventBus.published.map((e) => e.detailType)).toEqual(['Feedback.Received', 'Complaint.Opened']);
  });

  it('leaves a confident complaint and a confident inquiry out of triage', async () => {
    const complaint = setup();
    await processFeedbackMessage(message('I complain'), { ...complaint.deps, classifier: reading({ kind: 'complaint', negative: true, probabilities: { complaint: 0.97, inquiry: 0.03, suggestion: 0, praise: 0 } }) });
    expect(complaint.repository.items.get('fb_test1')!.item.triage).toBeUndefined();
    const inquiry = setup();
    await processFeedbackMessage(message('what are your opening hours?'), { ...inquiry.deps, classifier: reading({}) });
    expect(inquiry.repository.items.get('fb_test1')!.item.triage).toBeUndefined();
  });
});

describe('processFeedbackMessage with a FAQ', () => {
  const silent = { warn: () => undefined };
  async function withFaq(store = new MemoryFaqStore()) {
    await seedFaq(store, ENGLISH_FAQ, '2026-11-28T00:00:00.000Z');
    const base = setup();
    return { ...base, deps: { ...base.deps, suggestions: new FaqSuggestionSource(new FaqIndexCache(store), silent) } };
  }

  it('stores an inquiry with its suggestions (at most 3), best first, as {faqId, score, cues} only: the entries\' text stays in the FAQ', async () => {
    // Arrange
    const { deps, repository } = await withFaq();
    // Act
    await processFeedbackMessage(message('How do I report a lost card?'), deps);
    // Assess
    const suggestions = repository.items.get('fb_test1')?.item.suggestions;
    expect(suggestions?.length).toBeGreaterThan(0);
    expect(suggestions?.length).toBeLessThanOrEqual(3);
    expect(suggestions?.[0]).toMatchObject({ faqId: 'lost-card-en' });
    expect(suggestions?.[0]?.score).toBeGreaterThan(0);
    expect(suggestions?.[0]?.cues.length).toBeGreaterThan(0);
    for (const s of suggestions ?? []) expect(Object.keys(s).sort()).toEqual(['cues', 'faqId', 'score']);
  });

  it('gives complaints and other kinds no suggestions', async () => {
    const { deps, repository } = await withFaq();
    await processFeedbackMessage(message('I complain: my lost card was never blocked'), deps);
    expect(repository.items.get('fb_test1')?.item.suggestions).toBeUndefined();
  });

  it('stores an inquiry without suggestions when the FAQ cannot be read (intake never waits on it)', async () => {
    // Arrange
    const store = new MemoryFaqStore();
    store.head = async () => {
      throw new Error('FAQ snapshot corrupt');
    };
    const warnings: string[] = [];
    const base = setup();
    const deps = { ...base.deps, suggestions: new FaqSuggestionSource(new FaqIndexCache(store), { warn: (m: string) => void warnings.push(m) }) };
    // Act
    const result = await processFeedbackMessage(message('How do I report a lost card?'), deps);
    // Assess
    expect(result.created).toBe(true);
    expect(base.repository.items.get('fb_test1')?.item.suggestions).toBeUndefined();
    expect(warnings).toEqual(['FAQ unreadable; item stored without suggestions']);
  });
});

describe('processFeedbackMessage with automatic FAQ answers (REDRESS_FAQ_AUTOREPLY)', () => {
  const silent = { warn: () => undefined, info: () => undefined };
  async function withAutoReply(options: { configured?: boolean; threshold?: number | null } = {}) {
    const store = new MemoryFaqStore();
    await seedFaq(store, ENGLISH_FAQ, '2026-11-28T00:00:00.000Z');
    const cache = new FaqIndexCache(store);
    const base = setup();
    const jobs: Array<{ feedbackId: string; replyId: string }> = [];
    const queue = { failNext: false, enqueue: async (job: { feedbackId: string; replyId: string }) => {
      if (queue.failNext) {
        queue.failNext = false;
        throw new Error('queue outage');
      }
      jobs.push(job);
    } };
    const faqAutoReply = {
      threshold: options.threshold === undefined ? 0.01 : options.threshold,
      entries: async () => (await cache.get())?.entries ?? null,
      router: { configured: () => options.configured ?? true, whatsappTemplateConfigured: false },
      queue,
      now: () => new Date('2026-11-28T09:30:01.000Z'),
      logger: silent,
    };
    return { ...base, jobs, queue, deps: { ...base.deps, suggestions: new FaqSuggestionSource(cache, silent), faqAutoReply } };
  }

  it('stores the inquiry with the FAQ answer as a queued reply by actor faq, in its one write, and queues the send', async () => {
    const { deps, repository, jobs } = await withAutoReply();
    const result = await processFeedbackMessage(message('How do I report a lost card?'), deps);
    expect(result.created).toBe(true);
    const stored = repository.items.get('fb_test1')!;
    expect(stored.item.version).toBe(1);
    expect(stored.item.replies).toEqual([expect.objectContaining({ actor: 'faq', faqId: 'lost-card-en', status: 'queued', via: 'channel', message: 'Answer of lost-card-en.' })]);
    expect(stored.item.timeline.map((e) => `${e.type}:${e.actor}`)).toEqual(['received:channel:web', 'reply_queued:faq']);
    const replyId = stored.item.replies![0]!.id;
    expect(Object.keys(stored.outbox)).toEqual([`reply:${replyId}`]);
    expect(jobs).toEqual([{ feedbackId: 'fb_test1', replyId }]);
  });

  it('never answers twice: a redelivery finds the stored answer (queued again only while its send is owed)', async () => {
    const { deps, repository, jobs } = await withAutoReply();
    await processFeedbackMessage(message('How do I report a lost card?'), deps);
    await processFeedbackMessage(message('How do I report a lost card?'), deps);
    expect(repository.items.get('fb_test1')!.item.replies).toHaveLength(1);
    expect(jobs).toHaveLength(2);
    expect(new Set(jobs.map((j) => j.replyId)).size).toBe(1);
    // Carried out (the reply function removed the entry): a later redelivery queues nothing.
    const stored = repository.items.get('fb_test1')!;
    repository.items.set('fb_test1', { ...stored, outbox: {} });
    await processFeedbackMessage(message('How do I report a lost card?'), deps);
    expect(jobs).toHaveLength(2);
    expect(repository.items.get('fb_test1')!.item.replies).toHaveLength(1);
  });

  it('a queue outage fails the message; its retry queues the send of the answer stored the first time', async () => {
    const { deps, repository, jobs, queue } = await withAutoReply();
    queue.failNext = true;
    await expect(processFeedbackMessage(message('How do I report a lost card?'), deps)).rejects.toThrow('queue outage');
    const replyId = repository.items.get('fb_test1')!.item.replies![0]!.id;
    await processFeedbackMessage(message('How do I report a lost card?'), deps);
    expect(jobs).toEqual([{ feedbackId: 'fb_test1', replyId }]);
    expect(repository.items.get('fb_test1')!.item.replies).toHaveLength(1);
  });

  it('never answers a complaint', async () => {
    const { deps, repository, jobs } = await withAutoReply();
    await processFeedbackMessage(message('I complain: how do I report a lost card? Nobody answers.'), deps);
    expect(repository.items.get('fb_test1')!.item.kind).toBe('complaint');
    expect(repository.items.get('fb_test1')!.item.replies).toBeUndefined();
    expect(jobs).toEqual([]);
  });

  it('stores the inquiry unanswered, and fails nothing, where the channel cannot be answered or the setting is off', async () => {
    for (const options of [{ configured: false }, { threshold: null }]) {
      const { deps, repository, jobs } = await withAutoReply(options);
      const result = await processFeedbackMessage(message('How do I report a lost card?'), deps);
      expect(result.created).toBe(true);
      expect(repository.items.get('fb_test1')!.item.suggestions?.length).toBeGreaterThan(0);
      expect(repository.items.get('fb_test1')!.item.replies).toBeUndefined();
      expect(jobs).toEqual([]);
    }
  });
});

describe('parseQueuedMessage', () => {
  it('rejects bodies that are not our message as poison', () => {
    expect(() => parseQueuedMessage('nope')).toThrow(PoisonMessageError);
    expect(() => parseQueuedMessage('{"id":"x"}')).toThrow(PoisonMessageError);
    expect(parseQueuedMessage(JSON.stringify(message('hello'))).id).toBe('fb_test1');
  });
});

describe('customer keys in processing', () => {
  const NEW = `ck2_${'b'.repeat(32)}`;
  const OLD = `ck1_${'a'.repeat(32)}`;
  const keyed = (): FeedbackMessage => ({ ...message('I complain about fees'), customerKey: NEW, customerAliases: [OLD] });

  it('stores the key and its rotation aliases on the item', async () => {
    const { deps, repository } = setup();

    await processFeedbackMessage(keyed(), deps);

    expect(repository.items.get('fb_test1')?.item).toMatchObject({ customerKey: NEW, customerAliases: [OLD] });
  });

  it("links each alias to the item's key, by the rotation, also when redelivered", async () => {
    const { deps } = setup();
    const linked: unknown[] = [];
    const customerLinks = { link: async (link: unknown) => (linked.push(link), true) };

    await processFeedbackMessage(keyed(), { ...deps, customerLinks });
    await processFeedbackMessage(keyed(), { ...deps, customerLinks });

    expect(linked).toEqual([
      { a: OLD, b: NEW, linkedBy: 'system:key-rotation', linkedAt: '2026-11-28T09:30:00.000Z', reason: 'key-rotation' },
      { a: OLD, b: NEW, linkedBy: 'system:key-rotation', linkedAt: '2026-11-28T09:30:00.000Z', reason: 'key-rotation' },
    ]);
  });

  it('links nothing without aliases', async () => {
    const { deps } = setup();
    const linked: unknown[] = [];

    await processFeedbackMessage({ ...message('I complain about fees'), customerKey: NEW }, { ...deps, customerLinks: { link: async (link: unknown) => (linked.push(link), true) } });

    expect(linked).toEqual([]);
  });
});
