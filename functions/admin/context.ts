/**
 * What every admin route group shares (built once per handler): the clock, the clock policy, the
 * rating request the survey owes, and the small steps each route takes (read an item or 404, check the
 * caller's role, show an item, sign and resume cursors).
 */
import type { FeedbackItem } from '../../schemas/feedback.ts';
import type { Principal } from '../shared/auth/principal.ts';
import { replyWindowFor } from '../shared/channels/reply-router.ts';
import { parseIsoDuration } from '../shared/clocks/duration.ts';
import { DEFAULT_CLOCK_POLICY, type ClockPolicy } from '../shared/clocks/policy.ts';
import { ForbiddenError, NotFoundError, ServiceUnavailableError } from '../shared/errors.ts';
import { json, type HttpResult } from '../shared/http.ts';
import { authorize, authorizeAction, type AdminAction } from '../shared/lifecycle/permissions.ts';
import type { StoredFeedback } from '../shared/ports/feedback-repository.ts';
import { ratingRequestFor } from '../shared/survey/rating-request.ts';
import type { CustomerService } from './customers.ts';
import type { AdminDeps } from './handler.ts';
import { etag } from './request.ts';
import { replyWindowView, toView, type FaqLookup } from './view.ts';
import type { FeedbackView } from '../../schemas/admin.ts';
import { errorFields } from '../shared/logger.ts';

/** A day window of a list: `[from, to)`, UTC instants. */
export interface Window {
  from: string;
  to: string;
}

export interface AdminContext {
  deps: AdminDeps;
  now: () => Date;
  policy: ClockPolicy;
  firstResponseTargetMs: number;
  /** How a resolution asks for a rating (absent without a survey). */
  ratingRequest: ReturnType<typeof ratingRequestFor> | undefined;
  /** The stored item, or a 404 naming it. */
  itemOrNotFound(id: string): Promise<StoredFeedback>;
  /** One item as its own route shows it: the view, and when its channel stops taking replies. */
  singleView(item: FeedbackItem): Promise<ReturnType<typeof toView> & { replyWindow?: ReturnType<typeof replyWindowView> }>;
  /** The 200 with an item's own view and its ETag. */
  read(item: FeedbackItem): Promise<HttpResult>;
  /** The views of listed items (their stored suggestions shown with the FAQ's entries). */
  views(items: readonly FeedbackItem[], now: string): Promise<FeedbackView[]>;
  /** A 403 unless the caller may take `action` (on `item`, assigning `assignee`). */
  requireAllowed(principal: Principal, action: AdminAction, item?: FeedbackItem, assignee?: string): void;
  /** A cursor: the last key and (for day walks) the window the first page fixed, signed for `scope`. */
  cursorFor(scope: string, key: string, window?: Window): string;
  /** What a cursor signed for `scope` resumes from (a 400 for any other). */
  resume(scope: string, cursor: string): { key: string; window?: Window };
  /** The customer service, or a 503 where the stack has none. */
  customersOrUnavailable(): CustomerService;
}

/** The context of a handler over `deps`. */
export function createAdminContext(deps: AdminDeps): AdminContext {
  const now = deps.now ?? (() => new Date());
  const policy = deps.clockPolicy ?? DEFAULT_CLOCK_POLICY;
  // The FAQ's entries by id, read only when an item to show stores suggestions without their text. When
  // the FAQ cannot be read the item is still shown, without them (GET …/suggestions recomputes them).
  const faqFor = async (items: readonly FeedbackItem[]): Promise<FaqLookup | undefined> => {
    if (!deps.faq || !items.some((i) => i.suggestions?.some((s) => !('answer' in s)))) return undefined;
    const entries = await deps.faq.cache.current().then((c) => c?.index.entries, (err) => void deps.logger.warn('FAQ unreadable', errorFields(err)));
    const byId = new Map(entries?.map((e) => [e.id, e]));
    return (id) => byId.get(id);
  };
  const singleView = async (item: FeedbackItem) => {
    const at = now();
    return { ...toView(item, at.toISOString(), await faqFor([item])), ...(deps.replies ? { replyWindow: replyWindowView(replyWindowFor(item, at, deps.replies.router)) } : {}) };
  };
  return {
    deps,
    now,
    policy,
    firstResponseTargetMs: parseIsoDuration(policy.firstResponse.target.duration),
    ratingRequest: deps.survey ? ratingRequestFor(deps.survey) : undefined,
    async itemOrNotFound(id) {
      const stored = await deps.repository.get(id);
      if (!stored) throw new NotFoundError(`No feedback item ${id}.`);
      return stored;
    },
    singleView,
    read: async (item) => json(200, await singleView(item), { etag: etag(item.version) }),
    async views(items, at) {
      const faq = await faqFor(items);
      return items.map((i) => toView(i, at, faq));
    },
    requireAllowed(principal, action, item, assignee) {
      const decision = item ? authorize(principal, action, item, assignee) : authorizeAction(principal, action);
      if (!decision.allowed) throw new ForbiddenError(decision.reason);
    },
    cursorFor: (scope, key, window) => deps.cursors.encode(scope, JSON.stringify(window ? { k: key, w: [window.from, window.to] } : { k: key })),
    resume(scope, cursor) {
      const payload = JSON.parse(deps.cursors.decode(scope, cursor)) as { k: string; w?: [string, string] };
      return { key: payload.k, ...(payload.w ? { window: { from: payload.w[0], to: payload.w[1] } } : {}) };
    },
    customersOrUnavailable() {
      if (!deps.customers) throw new ServiceUnavailableError('Customer history is not configured on this stack.');
      return deps.customers;
    },
  };
}
