/**
 * One quarter's figures and its per-handler figures, computed in one pass over the items' current state
 * (design.md, "Which quarter a figure belongs to"):
 * - counts, complaint rate, first-response compliance and times, resolution rate and time, escalations,
 *   repeat complaints, the intake rating and FAQ answers follow the items *received* in the quarter
 *   (`receivedAt` in the report's zone), measured on their state now; these are the KPI figures of
 *   metrics.ts, tallied by the same code;
 * - satisfaction follows the ratings *given* in the quarter (`satisfaction.at`), customers' and
 *   handlers' apart;
 * - handler throughput follows the resolutions *made* in the quarter (a complaint's current resolution)
 *   ÷ handler-days (a day in the zone on which a handler acted on any complaint, counted per handler).
 * So the items fed in (`add`) must include, besides those received in the quarter, the complaints
 * received earlier that were acted on, resolved or rated in it; anything else is ignored. A complaint fed
 * twice counts once (the first copy wins: both are states it had during the read), so a read of an index
 * whose key moves with activity cannot count it twice while it is being worked. Other feedback is counted
 * as fed, without keeping its ids (a million of them would be most of the tally's memory): its source,
 * the receipt-day index, holds each item once under a key that never changes. For repeat complaints, the complaints received in the 90 days
 * before the quarter are registered apart (`addPrior`: id, receipt, customer key), so a small projection
 * of them can never stand in for an item's full facts.
 *
 * Push-based (`add` per item, then `figures()`), so a storage adapter can feed pages as they arrive
 * without holding a million items: non-complaints reduce to counters at once.
 */
import type { CustomerBase } from '../../../schemas/plan.ts';
import type { HandlerFigures, QuarterFigures, RatingSummary } from '../../../schemas/reports.ts';
import { add, emptyTally, factOf, figures as metricFigures, firstResponseAt, percentile, ratio, type Fact } from '../../shared/reports/metrics.ts';
import { factsOf, satisfactionSource, type ReportFacts, type ReportItem } from '../../shared/reports/report-facts.ts';
import { dayAmong, dayStartsOfQuarter, type QuarterWindow } from '../../shared/reports/quarters.ts';
import type { PriorComplaint } from '../../shared/ports/report-source.ts';

/** Repeat complaints look this far back from each complaint's receipt. */
export const REPEAT_WINDOW_MS = 90 * 86_400_000;

export interface QuarterInputs {
  window: QuarterWindow;
  /** When the report is read: clocks are judged at this instant. */
  now: string;
  /** The policy's first-response target, for complaints without clocks (as metrics.ts). */
  firstResponseTargetMs: number;
  /** The bank's counts for the quarter; absent: complaintRate and digitalUsage are null. */
  customerBase?: Pick<CustomerBase, 'activeCustomers' | 'digitalActiveCustomers'> | null;
}

export interface QuarterTally {
  /** Counts one item (a complaint once per id, the first copy winning; other feedback as fed). */
  add(item: ReportItem): void;
  /** Registers a complaint received in the 90 days before the quarter, for repeat complaints only. */
  addPrior(complaint: PriorComplaint): void;
  /** The quarter's figures over everything added. */
  figures(): QuarterFigures;
  /** The per-handler figures, by handler id. */
  handlers(): HandlerFigures[];
}

interface HandlerTally {
  handled: number;
  days: Set<string>;
  firstResponses: number;
  within: number;
  responseSeconds: number[];
  resolved: number;
  reopened: number;
  satisfactionCount: number;
  satisfactionSum: number;
}

const newHandler = (): HandlerTally => ({ handled: 0, days: new Set(), firstResponses: 0, within: 0, responseSeconds: [], resolved: 0, reopened: 0, satisfactionCount: 0, satisfactionSum: 0 });
const emptyScores = () => [0, 0, 0, 0, 0, 0];
const NO_FACTS: ReportFacts = Object.freeze({});

/** Scores 1–5 counted at their index, as a rating summary. */
function ratingSummary(counts: number[]): RatingSummary {
  const n = counts.slice(1).reduce((a, b) => a + b, 0);
  const sum = counts.reduce((acc, c, score) => acc + c * score, 0);
  return { count: n, mean: n ? sum / n : null, distribution: { 1: counts[1]!, 2: counts[2]!, 3: counts[3]!, 4: counts[4]!, 5: counts[5]! } };
}

/** Starts a quarter's tally. */
export function createQuarterTally(inputs: QuarterInputs): QuarterTally {
  return new Tallies(inputs);
}

/** The state of one pass: what each rule collects, and the per-handler tallies. */
class Tallies implements QuarterTally {
  private readonly fromMs: number;
  private readonly toMs: number;
  /** When each local day of the quarter starts: handler-days by binary search (Intl is slow per call). */
  private readonly dayStarts: Array<{ day: string; startMs: number }>;
  private readonly seen = new Set<string>();
  private readonly tally = emptyTally();
  private readonly resolutionSeconds: number[] = [];
  private readonly customerScores = emptyScores();
  private readonly handlerScores = emptyScores();
  private readonly intake = new Map<string, { count: number; sum: number }>();
  private readonly lookback = new Map<string, Map<string, number>>();
  private readonly candidates: Array<{ key: string; ms: number; id: string }> = [];
  private readonly byHandler = new Map<string, HandlerTally>();
  private resolutionsMade = 0;
  private autoAnswered = 0;

  constructor(private readonly inputs: QuarterInputs) {
    this.fromMs = Date.parse(inputs.window.from);
    this.toMs = Date.parse(inputs.window.to);
    this.dayStarts = dayStartsOfQuarter(inputs.window.quarter, inputs.window.timeZone);
  }

  add(item: ReportItem): void {
    const complaint = item.kind === 'complaint';
    if (complaint) {
      if (this.seen.has(item.id)) return;
      this.seen.add(item.id);
    }
    const received = this.inQuarter(item.receivedAt);
    if (!received && !complaint) return;
    // Clocks are evaluated only for the items a figure needs them for (no per-item closures: this runs a million times).
    const answeredAt = complaint ? firstResponseAt(item) : undefined;
    const fact = received || (answeredAt && this.inQuarter(answeredAt)) ? factOf(item, this.inputs.now, this.inputs.firstResponseTargetMs) : undefined;
    const facts = complaint || item.reportFacts || item.timeline ? factsOf(item) : NO_FACTS;
    if (received) this.addReceived(item, fact!, facts);
    if (!complaint) return;
    this.addActivity(item, facts, fact, answeredAt);
    this.addRating(item, facts);
    this.addRepeatCandidate(item, received);
  }

  addPrior(complaint: PriorComplaint): void {
    const ms = Date.parse(complaint.receivedAt);
    if (complaint.customerKey && ms >= this.fromMs - REPEAT_WINDOW_MS && ms < this.fromMs) this.remember(complaint.customerKey, complaint.id, ms);
  }

  figures(): QuarterFigures {
    return quarterFigures(this.inputs, {
      metrics: metricFigures(this.tally),
      resolutionSeconds: this.resolutionSeconds,
      customerScores: this.customerScores,
      handlerScores: this.handlerScores,
      intake: this.intake,
      repeat: repeatCounts(this.candidates, this.lookback),
      resolutionsMade: this.resolutionsMade,
      handlers: this.byHandler,
      autoAnswered: this.autoAnswered,
    });
  }

  handlers(): HandlerFigures[] {
    return [...this.byHandler.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([id, h]) => handlerFigures(id, h));
  }

  private inQuarter(iso: string | undefined): boolean {
    if (!iso) return false;
    // Fast path: stored instants are toISOString() text, which orders as the instants do.
    if (iso.length === 24 && iso.charCodeAt(23) === 90 /* Z */) return iso >= this.inputs.window.from && iso < this.inputs.window.to;
    const ms = Date.parse(iso);
    return ms >= this.fromMs && ms < this.toMs;
  }

  /** The local day of an instant inside the quarter. */
  private dayOf(iso: string): string {
    return dayAmong(this.dayStarts, Date.parse(iso));
  }

  private handler(id: string): HandlerTally {
    let h = this.byHandler.get(id);
    if (!h) this.byHandler.set(id, (h = newHandler()));
    return h;
  }

  /** The figures that follow receipt in the quarter. */
  private addReceived(item: ReportItem, fact: Fact, facts: ReportFacts): void {
    add(this.tally, fact);
    if (typeof item.rating === 'number' && Number.isFinite(item.rating)) {
      const source = item.source ?? item.channel;
      const s = this.intake.get(source) ?? { count: 0, sum: 0 };
      this.intake.set(source, { count: s.count + 1, sum: s.sum + item.rating });
    }
    if (item.kind === 'inquiry' && facts.autoAnsweredAt) this.autoAnswered++;
    if (item.kind !== 'complaint' || item.status !== 'resolved') return;
    const current = facts.resolutions?.at(-1);
    if (current) this.resolutionSeconds.push(Math.max(0, Date.parse(current.at) - Date.parse(item.receivedAt)) / 1000);
  }

  /** What handlers did on a complaint in the quarter: days and complaints handled, resolutions, first responses. */
  private addActivity(item: ReportItem, facts: ReportFacts, fact: Fact | undefined, answeredAt: string | undefined): void {
    const actors = new Set<string>();
    for (const [actor, at] of facts.acts ?? []) {
      if (!this.inQuarter(at)) continue;
      this.handler(actor).days.add(this.dayOf(at));
      actors.add(actor);
    }
    for (const actor of actors) this.handler(actor).handled++;
    const current = item.status === 'resolved' ? facts.resolutions?.at(-1) : undefined;
    if (current && this.inQuarter(current.at)) {
      this.resolutionsMade++;
      this.handler(current.by).resolved++;
    }
    for (const r of facts.resolutions ?? []) if (r.reopenedAt && this.inQuarter(r.at)) this.handler(r.by).reopened++;
    if (facts.firstResponder && answeredAt && this.inQuarter(answeredAt)) {
      const h = this.handler(facts.firstResponder);
      h.firstResponses++;
      if (fact?.outcome === 'met') h.within++;
      h.responseSeconds.push((Date.parse(answeredAt) - Date.parse(item.receivedAt)) / 1000);
    }
  }

  /** A rating given in the quarter: counted by source; a customer's is also credited to the handler of the resolution rated. */
  private addRating(item: ReportItem, facts: ReportFacts): void {
    const s = item.satisfaction;
    if (!s || !this.inQuarter(s.at) || !(s.score >= 1 && s.score <= 5)) return;
    if (satisfactionSource(s) === 'handler') {
      this.handlerScores[s.score]!++;
      return;
    }
    this.customerScores[s.score]!++;
    const ratedMs = Date.parse(s.at);
    const rated = (facts.resolutions ?? []).filter((r) => Date.parse(r.at) <= ratedMs).at(-1);
    if (!rated) return;
    const h = this.handler(rated.by);
    h.satisfactionCount++;
    h.satisfactionSum += s.score;
  }

  /** Remembers when a customer's complaint was received (by id, so a complaint fed twice is one). */
  private remember(key: string, id: string, ms: number): void {
    let byId = this.lookback.get(key);
    if (!byId) this.lookback.set(key, (byId = new Map()));
    byId.set(id, ms);
  }

  /** Complaints with a customer key received in the 90 days before the quarter or in it; those in it are the candidates. */
  private addRepeatCandidate(item: ReportItem, received: boolean): void {
    if (!item.customerKey) return;
    const ms = Date.parse(item.receivedAt);
    if (ms < this.fromMs - REPEAT_WINDOW_MS || ms >= this.toMs) return;
    this.remember(item.customerKey, item.id, ms);
    if (received) this.candidates.push({ key: item.customerKey, ms, id: item.id });
  }
}

/** How many candidates had another complaint from the same customer in the 90 days before them. */
function repeatCounts(candidates: Array<{ key: string; ms: number; id: string }>, lookback: Map<string, Map<string, number>>): { count: number; withCustomer: number } {
  let count = 0;
  for (const c of candidates) {
    // Earlier: received before it (or at the same instant with a smaller id, so two at once count once), within 90 days.
    for (const [id, ms] of lookback.get(c.key) ?? []) {
      if (id !== c.id && ms >= c.ms - REPEAT_WINDOW_MS && (ms < c.ms || (ms === c.ms && id < c.id))) {
        count++;
        break;
      }
    }
  }
  return { count, withCustomer: candidates.length };
}

interface Collected {
  metrics: ReturnType<typeof metricFigures>;
  resolutionSeconds: number[];
  customerScores: number[];
  handlerScores: number[];
  intake: Map<string, { count: number; sum: number }>;
  repeat: { count: number; withCustomer: number };
  resolutionsMade: number;
  handlers: Map<string, HandlerTally>;
  autoAnswered: number;
}

/** Assembles the quarter's figures from what the pass collected. */
function quarterFigures(inputs: QuarterInputs, c: Collected): QuarterFigures {
  const { satisfaction: _receivedWindowSatisfaction, ...metrics } = c.metrics;
  const base = inputs.customerBase ?? null;
  const active = base?.activeCustomers ?? 0;
  const handlerDays = [...c.handlers.values()].reduce((n, h) => n + h.days.size, 0);
  let intakeCount = 0;
  let intakeSum = 0;
  const bySource: Record<string, { count: number; mean: number | null }> = {};
  for (const [source, s] of [...c.intake].sort(([a], [b]) => (a < b ? -1 : 1))) {
    intakeCount += s.count;
    intakeSum += s.sum;
    bySource[source] = { count: s.count, mean: s.sum / s.count };
  }
  return {
    quarter: inputs.window.quarter,
    timeZone: inputs.window.timeZone,
    from: inputs.window.from,
    to: inputs.window.to,
    ...metrics,
    customerBase: base ? { activeCustomers: base.activeCustomers, digitalActiveCustomers: base.digitalActiveCustomers } : null,
    complaintRate: base && active > 0 ? (metrics.complaints / active) * 10_000 : null,
    digitalUsage: base && active > 0 ? base.digitalActiveCustomers / active : null,
    resolutionTime: { medianSeconds: percentile(c.resolutionSeconds, 0.5), p90Seconds: percentile(c.resolutionSeconds, 0.9) },
    repeatComplaints: { ...c.repeat, rate: ratio(c.repeat.count, c.repeat.withCustomer) },
    satisfaction: { customer: ratingSummary(c.customerScores), handler: ratingSummary(c.handlerScores) },
    intakeRating: { count: intakeCount, mean: intakeCount ? intakeSum / intakeCount : null, bySource },
    resolutionsMade: c.resolutionsMade,
    handlerDays,
    handlerThroughput: ratio(c.resolutionsMade, handlerDays),
    inquiriesAnsweredAutomatically: c.autoAnswered,
    autoAnswerRate: ratio(c.autoAnswered, metrics.inquiries),
  };
}

function handlerFigures(id: string, h: HandlerTally): HandlerFigures {
  return {
    handler: id,
    complaintsHandled: h.handled,
    firstResponses: h.firstResponses,
    firstResponsesWithinTarget: h.within,
    firstResponseCompliance: ratio(h.within, h.firstResponses),
    medianFirstResponseSeconds: percentile(h.responseSeconds, 0.5),
    resolved: h.resolved,
    reopened: h.reopened,
    handlerDays: h.days.size,
    throughput: ratio(h.resolved, h.days.size),
    customerSatisfaction: { count: h.satisfactionCount, mean: h.satisfactionCount ? h.satisfactionSum / h.satisfactionCount : null },
  };
}

/** The quarter's figures and per-handler figures over `items` (convenience over createQuarterTally). */
export function computeQuarter(items: Iterable<ReportItem>, inputs: QuarterInputs): { figures: QuarterFigures; handlers: HandlerFigures[] } {
  const tally = createQuarterTally(inputs);
  for (const item of items) tally.add(item);
  return { figures: tally.figures(), handlers: tally.handlers() };
}
