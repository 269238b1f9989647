/**
 * The admin FAQ routes over in-memory ports: PUT /admin/faq (JSON and CSV, replace and upsert, errors
 * naming the row and field and changing nothing, admin only, audited), GET /admin/faq (paginated),
 * GET /admin/faq/changes, and GET /admin/feedback/{id}/suggestions.
 */
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { createCursorCodec } from '../../functions/admin/cursor.ts';
import { uploadFormat } from '../../functions/admin/faq-routes.ts';
import { createAdminHandler } from '../../functions/admin/handler.ts';
import type { AdminQueries } from '../../functions/shared/ports/admin-queries.ts';
import { complaintFixture } from '../../functions/admin/test-fixtures.ts';
import type { FaqEntry } from '../../functions/shared/faq/entry.ts';
import { FaqIndexCache } from '../../functions/shared/faq/faq-index-cache.ts';
import type { FaqChange } from '../../functions/shared/faq/faq-store.ts';
import { MemoryFaqStore } from '../../functions/shared/faq/memory-faq-store.ts';
import { ENGLISH_FAQ } from '../../functions/shared/faq/test-entries.ts';
import type { HttpResult } from '../../functions/shared/http.ts';
import { createLogger } from '../../functions/shared/logger.ts';
import * as z from 'zod/mini';
import { Suggestion } from '../../schemas/faq.ts';
import type { FeedbackItem } from '../../schemas/feedback.ts';
import { MemoryRepository, RecordingBus } from '../helpers/fakes.ts';
import { httpEvent } from '../helpers/http-events.ts';

const NOW = new Date('2026-03-02T10:00:00.000Z');
const ADMIN: [string, string[]] = ['admin-1', ['admin']];
const SUP: [string, string[]] = ['sup-1', ['supervisor']];
const AGENT: [string, string[]] = ['agent-a', ['agent']];
const noQueries: AdminQueries = {
  openQueue: async () => ({ items: [] }),
  byDay: async () => ({ items: [] }),
  projectDays: async () => [],
  triageQueue: async () => ({ items: [] }),
};

interface Answer {
  statusCode: number;
  headers: Record<string, string>;
  json: Record<string, unknown>;
}
interface FaqPageJson {
  version: number;
  entries: number;
  items: FaqEntry[];
  nextCursor?: string;
}
interface SuggestionsJson {
  id: string;
  faqVersion: number;
  suggestions: Suggestion[];
}
interface ProblemJson {
  status: number;
  errors?: Array<{ field: string; message: string }>;
}

let store: MemoryFaqStore;
let repo: MemoryRepository;
let handler: ReturnType<typeof createAdminHandler>;

beforeEach(() => {
  store = new MemoryFaqStore();
  repo = new MemoryRepository();
  handler = createAdminHandler({
    repository: repo,
    queries: noQueries,
    eventBus: new RecordingBus(),
    cursors: createCursorCodec(['k']),
    logger: createLogger('test', 'silent'),
    faq: { store, cache: new FaqIndexCache(store, { ttlMs: 0 }) },
    now: () => NOW,
  });
});

async function call(who: [string, string[]], method: string, path: string, body = '', contentType?: string, query = ''): Promise<Answer> {
  const event = httpEvent(method, path, body, contentType ? { 'content-type': contentType } : {}, query);
  (event.requestContext as unknown as Record<string, unknown>).authorizer = { jwt: { claims: { sub: who[0], 'cognito:groups': who[1] }, scopes: [] } };
  if (query) event.queryStringParameters = Object.fromEntries(new URLSearchParams(query));
  const res = (await handler(event, {} as never)) as HttpResult;
  return { statusCode: res.statusCode, headers: (res.headers ?? {}) as Record<string, string>, json: res.body ? (JSON.parse(res.body) as Record<string, unknown>) : {} };
}

const putJson = (entries: unknown, query = '', who = ADMIN) => call(who, 'PUT', '/admin/faq', JSON.stringify(entries), 'application/json', query);
const CSV_HEADER = 'id,question,answer,language,category';

describe('PUT /admin/faq', () => {
  it('replaces the FAQ from JSON and answers the new version and what changed', async () => {
    // Act
    const res = await putJson(ENGLISH_FAQ);
    // Assess
    expect(res.statusCode).toBe(200);
    expect(res.json).toMatchObject({ version: 1, entries: 5, updatedBy: 'admin-1', change: { mode: 'replace', counts: { added: 5, updated: 0, removed: 0 } } });
    expect((await store.head())?.entries).toBe(5);
  });

  it('takes CSV (text/csv), one row per entry', async () => {
    const csv = `${CSV_HEADER}\nfee-1,How much is the annual fee?,"It is 100, waived after 6 purchases.",en,fees\nzh-1,信用卡年费怎么收？,首年免年费。,zh,\n`;
    const res = await call(ADMIN, 'PUT', '/admin/faq', csv, 'text/csv');
    expect(res.statusCode).toBe(200);
    const page = (await call(AGENT, 'GET', '/admin/faq')).json as unknown as FaqPageJson;
    expect(page.items).toEqual([
      { id: 'fee-1', question: 'How much is the annual fee?', answer: 'It is 100, waived after 6 purchases.', language: 'en', category: 'fees' },
      { id: 'zh-1', question: '信用卡年费怎么收？', answer: '首年免年费。', language: 'zh' },
    ]);
  });

  it('answers 400 naming the CSV row and field of a bad row, and changes nothing', async () => {
    // Arrange
    await putJson(ENGLISH_FAQ);
    const csv = `${CSV_HEADER}\nok-1,Question one?,Answer one.,en,\nbad-2,Question two?,Answer two.,fr,\n`;
    // Act
    const res = await call(ADMIN, 'PUT', '/admin/faq', csv, 'text/csv');
    // Assess
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect((res.json as unknown as ProblemJson).errors).toEqual([{ field: 'row.3.language', message: 'must be "zh" or "en"' }]);
    expect(await store.head()).toMatchObject({ version: 1, entries: 5 });
  });

  it('names the JSON entry and field of a bad entry', async () => {
    const res = await putJson([{ id: 'a', question: 'Q?', answer: '', language: 'en' }]);
    expect(res.statusCode).toBe(400);
    expect((res.json as unknown as ProblemJson).errors).toEqual([{ field: 'entries.0.answer', message: 'must not be empty' }]);
  });

  it('with mode=upsert merges by id: others kept, the same id replaced, new ones added', async () => {
    // Arrange
    await putJson(ENGLISH_FAQ);
    // Act
    const res = await putJson([{ ...ENGLISH_FAQ[0]!, answer: 'A new answer.' }, { id: 'new-1', question: 'New?', answer: 'Yes.', language: 'en' }], 'mode=upsert');
    // Assess
    expect(res.json).toMatchObject({ version: 2, entries: 6, change: { mode: 'upsert', added: ['new-1'], updated: [ENGLISH_FAQ[0]!.id], removed: [] } });
    const page = (await call(AGENT, 'GET', '/admin/faq')).json as unknown as FaqPageJson;
    expect(page.items.map((e) => e.id)).toEqual([...ENGLISH_FAQ.map((e) => e.id), 'new-1']);
    expect(page.items[0]!.answer).toBe('A new answer.');
  });

  it('replaces by default: entries left out of the upload are removed', async () => {
    await putJson(ENGLISH_FAQ);
    const res = await putJson([ENGLISH_FAQ[1]]);
    expect(res.json).toMatchObject({ version: 2, entries: 1, change: { removed: [ENGLISH_FAQ[0]!.id, ...ENGLISH_FAQ.slice(2).map((e) => e.id)] } });
  });

  it('records who changed what in the audit trail, newest first', async () => {
    await putJson(ENGLISH_FAQ);
    await putJson([ENGLISH_FAQ[0]], 'mode=upsert');
    const res = await call(AGENT, 'GET', '/admin/faq/changes');
    const items = res.json.items as FaqChange[];
    expect(items.map((c) => [c.version, c.actor, c.mode])).toEqual([
      [2, 'admin-1', 'upsert'],
      [1, 'admin-1', 'replace'],
    ]);
  });

  it.each([
    ['a supervisor', SUP],
    ['an agent', AGENT],
  ])('refuses %s (admin only), changing nothing', async (_label, who) => {
    const res = await putJson(ENGLISH_FAQ, '', who);
    expect(res.statusCode).toBe(403);
    expect(await store.head()).toBeNull();
  });

  it('refuses an unknown mode and an unsupported content type', async () => {
    expect((await putJson(ENGLISH_FAQ, 'mode=merge')).statusCode).toBe(400);
    expect((await call(ADMIN, 'PUT', '/admin/faq', '<faq/>', 'application/xml')).statusCode).toBe(415);
  });

  it('answers any body with a 4xx, never a 5xx, and stores nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.json(), fc.array(fc.record({ id: fc.string(), question: fc.string(), answer: fc.string(), language: fc.constantFrom('zh', 'en', 'de') }))), async (raw) => {
        const body = typeof raw === 'string' ? raw : JSON.stringify(raw);
        const res = await call(ADMIN, 'PUT', '/admin/faq', body, 'text/csv');
        expect(res.statusCode === 200 || (res.statusCode >= 400 && res.statusCode < 500)).toBe(true);
        if (res.statusCode !== 200) expect((res.json as unknown as ProblemJson).status).toBe(res.statusCode);
      }),
      { numRuns: 60 },
    );
  });
});

describe('GET /admin/faq', () => {
  it('pages through the FAQ in order with a signed cursor', async () => {
    // Arrange
    await putJson(ENGLISH_FAQ);
    // Act
    const first = (await call(AGENT, 'GET', '/admin/faq', '', undefined, 'limit=2')).json as unknown as FaqPageJson;
    const second = (await call(AGENT, 'GET', '/admin/faq', '', undefined, `limit=2&cursor=${first.nextCursor}`)).json as unknown as FaqPageJson;
    const third = (await call(AGENT, 'GET', '/admin/faq', '', undefined, `limit=2&cursor=${second.nextCursor}`)).json as unknown as FaqPageJson;
    // Assess
    expect([...first.items, ...second.items, ...third.items].map((e) => e.id)).toEqual(ENGLISH_FAQ.map((e) => e.id));
    expect(third.nextCursor).toBeUndefined();
    expect(first).toMatchObject({ version: 1, entries: 5 });
  });

  it('answers 409 to a cursor of an older version (the FAQ changed while paging)', async () => {
    await putJson(ENGLISH_FAQ);
    const first = (await call(AGENT, 'GET', '/admin/faq', '', undefined, 'limit=2')).json as unknown as FaqPageJson;
    await putJson([ENGLISH_FAQ[0]], 'mode=upsert');
    await putJson(ENGLISH_FAQ.slice(0, 4));
    expect((await call(AGENT, 'GET', '/admin/faq', '', undefined, `limit=2&cursor=${first.nextCursor}`)).statusCode).toBe(409);
  });

  it('answers an empty page at version 0 before any FAQ is saved', async () => {
    const res = await call(AGENT, 'GET', '/admin/faq');
    expect(res.json).toEqual({ version: 0, entries: 0, items: [] });
  });
});

describe('GET /admin/feedback/{id}/suggestions', () => {
  it('recomputes the suggestions of any item against the current FAQ', async () => {
    // Arrange
    await putJson(ENGLISH_FAQ);
    const item = complaintFixture({ text: 'I lost my card, how do I report it?' });
    await repo.createIfAbsent(item, []);
    // Act
    const res = await call(AGENT, 'GET', `/admin/feedback/${item.id}/suggestions`);
    // Assess
    const body = res.json as unknown as SuggestionsJson;
    expect(res.statusCode).toBe(200);
    expect(body).toMatchObject({ id: item.id, faqVersion: 1 });
    expect(body.suggestions[0]).toMatchObject({ faqId: 'lost-card-en', answer: 'Answer of lost-card-en.' });
    expect(body.suggestions.length).toBeLessThanOrEqual(3);
  });

  it('answers no suggestions (version 0) when there is no FAQ, and 404 for an unknown item', async () => {
    const item = complaintFixture();
    await repo.createIfAbsent(item, []);
    expect((await call(AGENT, 'GET', `/admin/feedback/${item.id}/suggestions`)).json).toEqual({ id: item.id, faqVersion: 0, suggestions: [] });
    expect((await call(AGENT, 'GET', '/admin/feedback/fb_nothing/suggestions')).statusCode).toBe(404);
  });
});

describe('stored suggestions in the item view', () => {
  const inquiry = (suggestions: FeedbackItem['suggestions']) => complaintFixture({ kind: 'inquiry', status: 'received', language: 'en', suggestions } as Partial<FeedbackItem>);

  it('an item stores {faqId, score, cues}; its view shows each entry\'s question, answer and language from the FAQ, as the contract has it', async () => {
    await putJson(ENGLISH_FAQ);
    const item = inquiry([{ faqId: 'lost-card-en', score: 0.91, cues: ['lost card'] }]);
    await repo.createIfAbsent(item, []);

    const res = await call(AGENT, 'GET', `/admin/feedback/${item.id}`);

    expect(res.statusCode).toBe(200);
    const entry = ENGLISH_FAQ.find((e) => e.id === 'lost-card-en')!;
    expect(res.json.suggestions).toEqual([{ faqId: 'lost-card-en', score: 0.91, question: entry.question, answer: entry.answer, language: 'en', ...(entry.category ? { category: entry.category } : {}), cues: ['lost card'] }]);
    expect(z.array(Suggestion).parse(res.json.suggestions)).toHaveLength(1);
  });

  it('leaves out an entry removed from the FAQ since; shows a whole suggestion stored before the change as it was', async () => {
    await putJson(ENGLISH_FAQ);
    const old: Suggestion = { faqId: 'gone-en', score: 0.5, question: 'Old question?', answer: 'Old answer.', language: 'en', cues: ['old'] };
    const item = inquiry([{ faqId: 'no-such-entry', score: 0.8, cues: [] }, old]);
    await repo.createIfAbsent(item, []);

    const res = await call(AGENT, 'GET', `/admin/feedback/${item.id}`);

    expect(res.json.suggestions).toEqual([old]);
  });

  it('still shows the item when the FAQ cannot be read (its stored suggestions wait for it)', async () => {
    await putJson(ENGLISH_FAQ);
    const item = inquiry([{ faqId: 'lost-card-en', score: 0.91, cues: [] }]);
    await repo.createIfAbsent(item, []);
    store.head = async () => {
      throw new Error('throttled');
    };

    const res = await call(AGENT, 'GET', `/admin/feedback/${item.id}`);

    expect(res.statusCode).toBe(200);
    expect(res.json.suggestions).toEqual([]);
  });
});

describe('uploadFormat', () => {
  it.each([
    ['application/json; charset=utf-8', 'a,b', 'json'],
    ['text/csv', '[1]', 'csv'],
    [undefined, '  [{"id":"a"}]', 'json'],
    [undefined, 'id,question', 'csv'],
  ] as const)('%s with %j → %s', (type, body, format) => {
    expect(uploadFormat(type, body)).toBe(format);
  });
});

describe('POST /admin/feedback/{id}/replies with faqId (and …/responses)', () => {
  const inquiry = () => complaintFixture({ id: 'fb_faqreply1', kind: 'inquiry', status: 'received', language: 'en' });
  const reply = (body: unknown, who = AGENT, id = 'fb_faqreply1', route = 'replies') => call(who, 'POST', `/admin/feedback/${id}/${route}`, JSON.stringify(body), 'application/json');

  beforeEach(async () => {
    await putJson(ENGLISH_FAQ);
    await repo.createIfAbsent(inquiry(), []);
  });

  it('{faqId} sends the entry answer, recorded with the entry on the reply and the timeline', async () => {
    const res = await reply({ faqId: 'lost-card-en', via: 'phone' });
    expect(res.statusCode).toBe(202);
    const item = repo.items.get('fb_faqreply1')!.item;
    expect(item.replies).toEqual([expect.objectContaining({ actor: 'agent-a', message: 'Answer of lost-card-en.', faqId: 'lost-card-en', status: 'sent' })]);
    expect(item.replies![0]!.faqEdited).toBeUndefined();
    expect(item.timeline.at(-1)).toMatchObject({ type: 'responded', actor: 'agent-a', data: { faqId: 'lost-card-en' } });
  });

  it('{faqId, message} sends the edited answer, marked edited', async () => {
    const res = await reply({ faqId: 'lost-card-en', message: 'Call us on 95588, or freeze it in the app.', via: 'phone' });
    expect(res.statusCode).toBe(202);
    expect(repo.items.get('fb_faqreply1')!.item.replies![0]).toMatchObject({ message: 'Call us on 95588, or freeze it in the app.', faqId: 'lost-card-en', faqEdited: true });
  });

  it('answers 400 naming faqId for an entry not in the FAQ, and message when neither is given; nothing recorded', async () => {
    const unknown = await reply({ faqId: 'no-such-entry', via: 'phone' });
    expect(unknown.statusCode).toBe(400);
    expect((unknown.json as unknown as ProblemJson).errors).toEqual([{ field: 'faqId', message: 'not an entry of the current FAQ' }]);
    expect(JSON.stringify(unknown.json)).toContain('no-such-entry');
    const neither = await reply({ via: 'phone' });
    expect(neither.statusCode).toBe(400);
    expect((neither.json as unknown as ProblemJson).errors?.map((e) => e.field)).toEqual(['message']);
    expect(repo.items.get('fb_faqreply1')!.item.replies).toBeUndefined();
  });

  it('works on a complaint response too', async () => {
    await repo.createIfAbsent(complaintFixture({ id: 'fb_faqreply2', language: 'en' }), []);
    const res = await call(SUP, 'POST', '/admin/complaints/fb_faqreply2/responses', JSON.stringify({ faqId: 'annual-fee-en', via: 'phone' }), 'application/json');
    expect(res.statusCode).toBe(202);
    expect(repo.items.get('fb_faqreply2')!.item.replies![0]).toMatchObject({ message: 'Answer of annual-fee-en.', faqId: 'annual-fee-en', actor: 'sup-1' });
  });
});
