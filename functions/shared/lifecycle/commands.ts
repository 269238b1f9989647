/**
 * The lifecycle's own command vocabulary: what each command carries, as the domain sees it. The admin
 * API's request bodies (schemas/admin.ts) are built from these lists and checked against these shapes
 * (`COMMAND_BODIES` there), so the domain never imports an HTTP schema
 * (test/infra/dependency-rules.test.ts) and a body cannot drift from what the lifecycle applies.
 */
import type { Category, Kind, ReplyVia, Severity } from '../../../schemas/feedback.ts';

export const RESOLUTION_OUTCOMES = ['upheld', 'partially_upheld', 'rejected'] as const;
export type ResolutionOutcome = (typeof RESOLUTION_OUTCOMES)[number];
/**
 * The extensions the default clock policy offers (functions/shared/clocks/policy.ts): China `complex`
 * (15 → 30 days) and `approved` (→ 60 days, after `complex`, customer told); UK payment services
 * `holding_reply` (15 → 35 business days, customer told). Which one a clock accepts is the lifecycle's call.
 */
export const EXTENSION_REASONS = ['complex', 'approved', 'holding_reply'] as const;
export type ExtensionReason = (typeof EXTENSION_REASONS)[number];
/** The pause reasons the default policy offers (China: time on external appraisal is not counted). */
export const PAUSE_REASONS = ['external_appraisal'] as const;
export type PauseReason = (typeof PAUSE_REASONS)[number];

/** What each command carries besides its type (and, for clock commands, the clock's name). */
export interface CommandFields {
  assign: { assignee: string };
  /** A reply: its text (with `faqId`, the handler's edit of that entry's answer), how it went out. */
  respond: { message?: string | undefined; via?: ReplyVia | undefined; faqId?: string | undefined };
  reply: CommandFields['respond'];
  resolve: { outcome: ResolutionOutcome; summary: string };
  reopen: { reason: string };
  note: { text: string };
  reclassify: { kind?: Kind | undefined; category?: Category | undefined; severity?: Severity | undefined; reason?: string | undefined };
  settleKind: { kind: Kind; category?: Category | undefined; reason?: string | undefined };
  rate: { score: number; comment?: string | undefined };
  extendClock: { reason: ExtensionReason };
  pauseClock: { reason: PauseReason };
  resumeClock: Record<string, never>;
}
