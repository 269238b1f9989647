import { describe, expect, it } from 'vitest';
import { sampleComplaint } from '../../../test/helpers/sample-items.ts';
import type { OutboxEntry } from '../ports/feedback-repository.ts';
import type { RatingRequest } from '../ports/rating-request-sender.ts';
import { flushOutbox, outboxOf } from './outbox.ts';

const request: RatingRequest & { requestId: string } = {
  requestId: 'ev_1', feedbackId: 'fb_sample', source: 'wechat', language: 'zh', surveyUrl: 'https://bank.example/survey/t', expiresAt: '2026-12-15T00:00:00.000Z',
  resolvedAt: '2026-12-01T00:00:00.000Z', replyWithRating: true, message: '请评分',
};
const stored = { item: sampleComplaint(), outbox: outboxOf([{ kind: 'ratingRequest', request } satisfies OutboxEntry]) };

describe('flushOutbox: rating requests', () => {
  it('sends a rating request through the sender and completes its entry', async () => {
    const sent: RatingRequest[] = [];
    const completed: string[][] = [];
    const done = await flushOutbox(stored, {
      repository: { completeOutbox: async (_id, keys) => void completed.push(keys) },
      eventBus: { publish: async () => {} },
      ratingRequests: { send: async (r) => void sent.push(r) },
    });
    expect(sent).toEqual([request]);
    expect(done).toEqual(['rating:ev_1']);
    expect(completed).toEqual([['rating:ev_1']]);
  });

  it('leaves the entry owed where no sender is wired', async () => {
    const done = await flushOutbox(stored, { repository: { completeOutbox: async () => {} }, eventBus: { publish: async () => {} } });
    expect(done).toEqual([]);
  });

  it('keeps the entry when the send fails (retried by the next flush)', async () => {
    const completed: string[][] = [];
    const flush = flushOutbox(stored, {
      repository: { completeOutbox: async (_id, keys) => void completed.push(keys) },
      eventBus: { publish: async () => {} },
      ratingRequests: { send: async () => Promise.reject(new Error('platform down')) },
    });
    await expect(flush).rejects.toThrow('platform down');
    expect(completed).toEqual([]);
  });
});
