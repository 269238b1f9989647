/**
 * The triage of uncertain classifications (design.md, external contract v2): which new items wait for a
 * person to settle their kind, and by when. The classifier says why an item is uncertain
 * (classification/triage.ts); this module adds the bank's settings and the due time, and is what the
 * process pipeline calls for every new item.
 *
 * - `REDRESS_TRIAGE_THRESHOLD`: calibrated complaint probability from which an item not taken as a
 *   complaint goes to triage; a number greater than 0 and at most 1. Default: the threshold the classifier
 *   ships, fitted with its calibration (model/calibration.json `triageThreshold`).
 * - `REDRESS_SLA_TRIAGE`: how long a handler has to settle a triaged item, counted from `receivedAt`;
 *   an ISO 8601 duration longer than zero (default `PT4H`).
 * Blank values count as unset. Pure apart from reading `env` once.
 */
import type { Classification, Triage } from '../../../schemas/feedback.ts';
import { triageReason } from '../classification/triage.ts';
import calibrationData from '../classification/model/calibration.json' with { type: 'json' };
import { parseIsoDuration } from '../clocks/duration.ts';
import { InvalidDurationError } from '../clocks/errors.ts';
import { ConfigurationError } from '../config.ts';

/** The triage settings of a deployment. */
export interface TriagePolicy {
  /** Complaint probability (calibrated) from which a non-complaint goes to triage. */
  threshold: number;
  /** The triage clock as configured (ISO 8601 duration), and in milliseconds. */
  sla: string;
  slaMs: number;
}

/** The shipped threshold: the classifier's own, chosen with its calibration on the cross-validation folds. */
export const DEFAULT_TRIAGE_THRESHOLD: number = calibrationData.triageThreshold;
export const DEFAULT_TRIAGE_SLA = 'PT4H';

export const DEFAULT_TRIAGE_POLICY: Readonly<TriagePolicy> = Object.freeze({
  threshold: DEFAULT_TRIAGE_THRESHOLD,
  sla: DEFAULT_TRIAGE_SLA,
  slaMs: parseIsoDuration(DEFAULT_TRIAGE_SLA),
});

/** A triage setting in the environment is not valid (the cold start fails, naming each variable). */
export class TriagePolicyError extends ConfigurationError {
  override name = 'TriagePolicyError';
  constructor(readonly issues: readonly string[]) {
    super(`invalid triage configuration: ${issues.join('; ')}`);
  }
}

/** A plain decimal (no exponent, no sign): what a person types for a probability. */
const DECIMAL = /^(?:\d+\.?\d*|\.\d+)$/;

/**
 * The triage policy for this deployment: the defaults with the environment applied. The process function
 * calls it when it loads, so a bad value stops the cold start rather than triaging by a wrong threshold.
 * @throws TriagePolicyError naming each bad variable and what it accepts.
 */
export function loadTriagePolicy(env: NodeJS.ProcessEnv): TriagePolicy {
  const issues: string[] = [];
  const value = (name: string): string | undefined => env[name]?.trim() || undefined;

  let threshold = DEFAULT_TRIAGE_THRESHOLD;
  const thresholdText = value('REDRESS_TRIAGE_THRESHOLD');
  if (thresholdText !== undefined) {
    const parsed = Number(thresholdText);
    // 0 would send every non-complaint to triage: surely a mistake, so it is refused like any other bad value.
    if (!DECIMAL.test(thresholdText) || !(parsed > 0 && parsed <= 1)) issues.push(`REDRESS_TRIAGE_THRESHOLD: ${JSON.stringify(thresholdText)} must be a probability greater than 0 and at most 1 (example: ${DEFAULT_TRIAGE_THRESHOLD})`);
    else threshold = parsed;
  }

  let sla = DEFAULT_TRIAGE_SLA;
  let slaMs = DEFAULT_TRIAGE_POLICY.slaMs;
  const slaText = value('REDRESS_SLA_TRIAGE');
  if (slaText !== undefined) {
    try {
      slaMs = parseIsoDuration(slaText);
      sla = slaText;
      if (slaMs <= 0) issues.push('REDRESS_SLA_TRIAGE: must be longer than zero');
    } catch (error) {
      const reason = error instanceof InvalidDurationError ? error.message : String(error);
      issues.push(`REDRESS_SLA_TRIAGE: ${reason} (example: PT4H)`);
    }
  }

  if (issues.length > 0) throw new TriagePolicyError(issues);
  return { threshold, sla, slaMs };
}

/**
 * Whether a new item goes to triage, and by when it should be settled (`receivedAt` + the triage SLA),
 * or undefined when its classification can be trusted as it is.
 */
export function triageFor(classification: Pick<Classification, 'kind' | 'probabilities' | 'negative' | 'supportedLanguage'>, receivedAt: string, policy: TriagePolicy): Triage | undefined {
  const reason = triageReason(classification, { threshold: policy.threshold });
  if (!reason) return undefined;
  return { reason, dueAt: new Date(Date.parse(receivedAt) + policy.slaMs).toISOString() };
}
