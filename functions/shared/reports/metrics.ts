/**
 * The KPI figures (GET /admin/metrics), computed from the current state of every feedback item received
 * in the window. Pure: the store adapter reads the items (one FeedbackByDay query per day, projecting
 * only the attributes below); this module turns them into figures.
 *
 * Why derived from state and not from counters: the figures are a function of what the items say now,
 * so a retried webhook (one item per delivery, conditional put), a retried admin change (one conditional
 * write on `version`) or two handlers racing cannot count anything twice or lose anything. Counters
 * maintained beside the items would need a second write per change, which single-item writes cannot
 * make atomic with the change itself.
 *
 * Definitions (times in seconds, `null` where a ratio or statistic has nothing to count):
 * - first response: the first `responded` entry, or the resolution when a complaint was resolved
 *   without one (either stops the first-response clock). met / breached / pending come from the
 *   first-response clock evaluated now (a running clock past due counts breached); items without clocks
 *   are judged against the policy's first-response target.
 * - medianSeconds / p90Seconds: nearest-rank percentiles of receipt → first response.
 * - resolved: complaints received in the window that are resolved now; resolutionRate = resolved / complaints.
 * - escalations: complaints with any clock at escalation level 1 or more now.
 * - digitalShare: share of all feedback that came from web + mobile.
 */
import { CATEGORIES, CHANNELS, type FeedbackItem } from '../../../schemas/feedback.ts';
import type { MetricFigures, Metrics } from '../../../schemas/admin.ts';
import { itemClockViews } from '../clocks/complaint-clocks.ts';

/** The attributes metrics read (the adapter projects only these). */
export { METRIC_ATTRIBUTES } from '../adapters/table-design.ts';
export type MetricItem = Pick<FeedbackItem, 'id' | 'kind' | 'channel' | 'category' | 'status' | 'receivedAt' | 'clocks' | 'satisfaction' | 'firstRespondedAt'> &
  Partial<Pick<FeedbackItem, 'clockPlans' | 'timeline'>>;

export const FIRST_RESPONSE_CLOCK = 'first_response';

/** Running counts of one slice (shared with the quarterly report, which tallies the same figures). */
export interface Tally {
  feedback: number;
  kinds: Record<FeedbackItem['kind'], number>;
  digital: number;
  met: number;
  breached: number;
  pending: number;
  responseSeconds: number[];
  resolved: number;
  escalations: number;
  scores: number[];
  /** The scores customers gave (survey link, "reply 1–5"); the rest of `scores` handlers recorded. */
  customerScores: number[];
}

/** A tally with nothing counted. */
export const emptyTally = (): Tally => ({
  feedback: 0,
  kinds: { complaint: 0, inquiry: 0, suggestion: 0, praise: 0 },
  digital: 0,
  met: 0,
  breached: 0,
  pending: 0,
  responseSeconds: [],
  resolved: 0,
  escalations: 0,
  scores: [],
  customerScores: [],
});

/** Nearest-rank percentile (p in (0, 1]) of a list, or null when empty. */
export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length))) - 1]!;
}

const mean = (values: number[]): number | null => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : null);

/** The handler-recorded scores' count and mean: all scores less the customers'. */
function handlerScores(t: Tally): { count: number; mean: number | null } {
  const count = t.scores.length - t.customerScores.length;
  const sum = t.scores.reduce((a, b) => a + b, 0) - t.customerScores.reduce((a, b) => a + b, 0);
  return { count, mean: count ? sum / count : null };
}

/** n ÷ d, or null when d is 0. */
export const ratio = (n: number, d: number): number | null => (d === 0 ? null : n / d);

/** When a complaint had its first response (a response, or a resolution without one), if it has. */
export function firstResponseAt(item: Pick<FeedbackItem, 'firstRespondedAt'> & Partial<Pick<FeedbackItem, 'timeline'>>): string | undefined {
  return item.firstRespondedAt ?? item.timeline?.find((e) => e.type === 'responded' || e.type === 'resolved')?.at;
}

/** What one complaint contributes to first-response figures at `now`. */
export function firstResponseOutcome(item: MetricItem, now: string, targetMs: number, clocks = itemClockViews(item as FeedbackItem, now)): 'met' | 'breached' | 'pending' | undefined {
  const clock = clocks.find((c) => c.name === FIRST_RESPONSE_CLOCK);
  if (clock) {
    if (clock.state === 'met') return 'met';
    if (clock.state === 'breached') return 'breached';
    if (clock.state === 'running') return 'pending';
    return undefined;
  }
  const received = Date.parse(item.receivedAt);
  const answered = firstResponseAt(item);
  if (answered) return Date.parse(answered) - received < targetMs ? 'met' : 'breached';
  return Date.parse(now) - received >= targetMs ? 'breached' : 'pending';
}

/** What one item contributes, worked out once (clocks are evaluated once per item, not once per slice). */
export interface Fact {
  kind: FeedbackItem['kind'];
  digital: boolean;
  outcome?: 'met' | 'breached' | 'pending';
  responseSeconds?: number;
  resolved: boolean;
  escalated: boolean;
  score?: number;
  /** True when the customer gave `score` (satisfaction.source `customer`). */
  byCustomer?: boolean;
}

/** An item's contribution to the figures at `now`. */
export function factOf(item: MetricItem, now: string, targetMs: number): Fact {
  const fact: Fact = { kind: item.kind, digital: item.channel === 'web' || item.channel === 'mobile', resolved: false, escalated: false };
  if (item.kind !== 'complaint') return fact;
  const clocks = itemClockViews(item as FeedbackItem, now);
  const outcome = firstResponseOutcome(item, now, targetMs, clocks);
  if (outcome) fact.outcome = outcome;
  const answered = firstResponseAt(item);
  if (answered) fact.responseSeconds = (Date.parse(answered) - Date.parse(item.receivedAt)) / 1000;
  fact.resolved = item.status === 'resolved';
  fact.escalated = clocks.some((c) => c.escalationLevel >= 1);
  if (item.satisfaction) {
    fact.score = item.satisfaction.score;
    if ((item.satisfaction as { source?: string }).source === 'customer') fact.byCustomer = true;
  }
  return fact;
}

/** Counts one item's contribution into a tally. */
export function add(t: Tally, f: Fact): void {
  t.feedback++;
  t.kinds[f.kind]++;
  if (f.digital) t.digital++;
  if (f.kind !== 'complaint') return;
  if (f.outcome) t[f.outcome]++;
  if (f.responseSeconds !== undefined) t.responseSeconds.push(f.responseSeconds);
  if (f.resolved) t.resolved++;
  if (f.escalated) t.escalations++;
  if (f.score !== undefined) t.scores.push(f.score);
  if (f.score !== undefined && f.byCustomer) t.customerScores.push(f.score);
}

/** The figures of a tally. */
export function figures(t: Tally): MetricFigures {
  const complaints = t.kinds.complaint;
  return {
    feedback: t.feedback,
    complaints,
    inquiries: t.kinds.inquiry,
    suggestions: t.kinds.suggestion,
    praise: t.kinds.praise,
    complaintShare: ratio(complaints, t.feedback),
    digitalShare: ratio(t.digital, t.feedback),
    firstResponse: {
      met: t.met,
      breached: t.breached,
      pending: t.pending,
      compliance: ratio(t.met, t.met + t.breached),
      medianSeconds: percentile(t.responseSeconds, 0.5),
      p90Seconds: percentile(t.responseSeconds, 0.9),
    },
    responded: t.responseSeconds.length,
    resolved: t.resolved,
    resolutionRate: ratio(t.resolved, complaints),
    escalations: t.escalations,
    satisfaction: { count: t.scores.length, mean: mean(t.scores) },
    // Customer-given and handler-recorded scores apart; `satisfaction` above is both together, as before.
    satisfactionBySource: { customer: { count: t.customerScores.length, mean: mean(t.customerScores) }, handler: handlerScores(t) },
  };
}

/**
 * The metrics of the items received in [from, to), evaluated at `now`. Items outside the window are
 * ignored (the adapter's day partitions are coarser than the window).
 * @param firstResponseTargetMs the policy's first-response target, for items that carry no clocks.
 */
export function computeMetrics(items: Iterable<MetricItem>, window: { from: string; to: string }, now: string, firstResponseTargetMs: number): Metrics {
  const fromMs = Date.parse(window.from);
  const toMs = Date.parse(window.to);
  const totals = emptyTally();
  const byChannel = Object.fromEntries(CHANNELS.map((c) => [c, emptyTally()])) as Record<(typeof CHANNELS)[number], Tally>;
  const byCategory = Object.fromEntries(CATEGORIES.map((c) => [c, emptyTally()])) as Record<(typeof CATEGORIES)[number], Tally>;
  const seen = new Set<string>();
  for (const item of items) {
    const at = Date.parse(item.receivedAt);
    if (!(at >= fromMs && at < toMs) || seen.has(item.id)) continue;
    seen.add(item.id);
    const fact = factOf(item, now, firstResponseTargetMs);
    add(totals, fact);
    if (byChannel[item.channel]) add(byChannel[item.channel], fact);
    if (byCategory[item.category]) add(byCategory[item.category], fact);
  }
  const map = <K extends string>(r: Record<K, Tally>) => Object.fromEntries(Object.entries(r).map(([k, t]) => [k, figures(t as Tally)])) as Record<K, MetricFigures>;
  return { from: window.from, to: window.to, totals: figures(totals), byChannel: map(byChannel), byCategory: map(byCategory) };
}
