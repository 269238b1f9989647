/**
 * The admin API's FAQ routes: `PUT /admin/faq` (admin: replace, or `?mode=upsert` merge by id;
 * JSON or CSV; every problem named by row and field, a bad upload changes nothing; audited),
 * `GET /admin/faq` (agent+, a page at a time), `GET /admin/faq/changes` (agent+, the audit trail) and
 * `GET /admin/feedback/{id}/suggestions` (agent+, recomputed against the current FAQ). Thin: the work is
 * in functions/shared/faq/ (faq-service.ts, suggest.ts); this file reads the request and shapes answers.
 */
import type * as z from 'zod/mini';
import { FaqChangesQuery, FaqListQuery, FaqUpdateQuery } from '../../schemas/faq.ts';
import type { FeedbackItem } from '../../schemas/feedback.ts';
import type { Principal } from '../shared/auth/principal.ts';
import { assertBodyWithin, ConflictError, ServiceUnavailableError, UnsupportedMediaTypeError } from '../shared/errors.ts';
import type { FaqIndexCache } from '../shared/faq/faq-index-cache.ts';
import { updateFaq } from '../shared/faq/faq-service.ts';
import type { FaqHead, FaqStore } from '../shared/faq/faq-store.ts';
import { suggest } from '../shared/faq/suggest.ts';
import { questionOf, SUGGESTIONS_PER_ITEM } from '../shared/faq/suggestion-source.ts';
import { json, lowerHeaders, mediaType, rawBody, type HttpEvent, type HttpResult } from '../shared/http.ts';
import type { Logger } from '../shared/logger.ts';
import { cursorScope, type CursorCodec } from './cursor.ts';

/** The FAQ as the admin function reaches it: the store (writes, audit) and a cache of its index (reads). */
export interface AdminFaq {
  store: FaqStore;
  /** Built with `ttlMs: 0` in the admin function, so a read after a change (any container) sees it. */
  cache: FaqIndexCache;
}

/**
 * The largest FAQ upload: a whole FAQ at its limits (5,000 entries) is far more, but real FAQs of a few
 * thousand short entries are 1–3 MB; Lambda's synchronous payload limit is 6 MB.
 */
export const MAX_FAQ_BODY_BYTES = 5 * 1024 * 1024;

const CSV_TYPES = new Set(['text/csv', 'application/csv']);

/** What the FAQ routes need from the handler. */
export interface FaqRouteDeps {
  faq?: AdminFaq | undefined;
  cursors: CursorCodec;
  logger: Logger;
  now: () => Date;
  parseQuery: <T extends z.ZodMiniObject>(schema: T, params: Record<string, string | undefined> | undefined) => z.output<T>;
}

/**
 * The upload's format from its Content-Type: JSON, or CSV (`text/csv`). Without one, a body starting
 * with `[` or `{` is JSON and anything else CSV (a spreadsheet export sent with curl --data-binary).
 */
export function uploadFormat(contentType: string | undefined, body: string): 'json' | 'csv' {
  const type = mediaType(contentType);
  if (type === 'application/json') return 'json';
  if (type !== undefined && CSV_TYPES.has(type)) return 'csv';
  if (type !== undefined) throw new UnsupportedMediaTypeError(type, 'application/json or text/csv');
  return /^\uFEFF?\s*[[{]/.test(body) ? 'json' : 'csv';
}

/** The version fields every FAQ answer carries (version 0: no FAQ saved yet). */
const versionFields = (head: FaqHead | undefined) => (head ? { version: head.version, updatedAt: head.updatedAt, updatedBy: head.updatedBy, entries: head.entries } : { version: 0, entries: 0 });

/** Builds the FAQ route handlers. */
export function createFaqRoutes(deps: FaqRouteDeps) {
  const faqOrUnavailable = (): AdminFaq => {
    if (!deps.faq) throw new ServiceUnavailableError('This function has no FAQ store configured.');
    return deps.faq;
  };

  /** `PUT /admin/faq`: validates the whole upload first, so a bad row changes nothing. */
  async function put(event: HttpEvent, principal: Principal): Promise<HttpResult> {
    const faq = faqOrUnavailable();
    const q = deps.parseQuery(FaqUpdateQuery, event.queryStringParameters);
    const bytes = rawBody(event);
    assertBodyWithin(bytes, MAX_FAQ_BODY_BYTES);
    const body = bytes.toString('utf8');
    const format = uploadFormat(lowerHeaders(event.headers)['content-type'], body);
    const { head, change } = await updateFaq(faq.store, { body, format, mode: q.mode ?? 'replace', actor: principal.sub, now: deps.now().toISOString() });
    faq.cache.invalidate();
    // Ids and counts only: questions and answers are the bank's text, not log material.
    deps.logger.info('FAQ changed', { actor: principal.sub, version: head.version, mode: change.mode, ...change.counts });
    return json(200, { ...versionFields(head), change });
  }

  /** `GET /admin/faq`: a page of entries in FAQ order; the cursor is bound to the version it started on. */
  async function list(event: HttpEvent): Promise<HttpResult> {
    const faq = faqOrUnavailable();
    const q = deps.parseQuery(FaqListQuery, event.queryStringParameters);
    const scope = cursorScope('faq', {});
    const current = await faq.cache.current();
    let offset = 0;
    if (q.cursor) {
      const resumed = JSON.parse(deps.cursors.decode(scope, q.cursor)) as { v: number; o: number };
      // Paging by position over a FAQ that changed would skip or repeat entries: say so instead.
      if (resumed.v !== (current?.version ?? 0)) throw new ConflictError('The FAQ changed while it was being read; start again without a cursor.', { version: current?.version ?? 0 });
      offset = resumed.o;
    }
    const entries = current?.index.entries ?? [];
    const items = entries.slice(offset, offset + q.limit);
    const next = offset + items.length;
    return json(200, {
      ...versionFields(current?.head),
      items,
      ...(next < entries.length ? { nextCursor: deps.cursors.encode(scope, JSON.stringify({ v: current!.version, o: next })) } : {}),
    });
  }

  /** `GET /admin/faq/changes`: the audit trail, newest first. */
  async function changes(event: HttpEvent): Promise<HttpResult> {
    const q = deps.parseQuery(FaqChangesQuery, event.queryStringParameters);
    return json(200, { items: await faqOrUnavailable().store.history(Math.min(q.limit, 100)) });
  }

  /** `GET /admin/feedback/{id}/suggestions`: any item (not only inquiries), against the FAQ as it is now. */
  async function suggestionsFor(item: FeedbackItem): Promise<HttpResult> {
    const current = await faqOrUnavailable().cache.current();
    const suggestions = current ? suggest(current.index, questionOf(item), { limit: SUGGESTIONS_PER_ITEM }) : [];
    return json(200, { id: item.id, faqVersion: current?.version ?? 0, suggestions });
  }

  return { put, list, changes, suggestionsFor };
}
