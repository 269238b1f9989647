/**
 * The classifier's side of the triage of uncertain classifications (design.md): which items a person should
 * look at before the kind is trusted, and why. Pure; the pipeline stores the reason with its due time.
 */
import type { Classification } from '../../../schemas/feedback.ts';

/** Why an item goes to triage. */
export type TriageReason = 'uncertain_kind' | 'negative_not_complaint' | 'unsupported_language';

/** The triage settings: the complaint probability from which a non-complaint goes to triage. */
export interface TriageOptions {
  /** `REDRESS_TRIAGE_THRESHOLD` (default `DEFAULT_TRIAGE_THRESHOLD`, model/calibration.json). */
  threshold: number;
}

/**
 * Why a classification needs a person's look, or undefined when it does not:
 * - `unsupported_language`: the message is in a language the classifier does not read (any kind: its kind
 *   is a guess);
 * - `uncertain_kind`: not taken as a complaint, but its calibrated complaint probability reaches the threshold;
 * - `negative_not_complaint`: not taken as a complaint, but it reads negative.
 * A classification without the calibrated fields (made before they existed) is only checked for what it has.
 */
export function triageReason(classification: Pick<Classification, 'kind' | 'probabilities' | 'negative' | 'supportedLanguage'>, { threshold }: TriageOptions): TriageReason | undefined {
  if (classification.supportedLanguage === false) return 'unsupported_language';
  if (classification.kind === 'complaint') return undefined;
  if (classification.probabilities && classification.probabilities.complaint >= threshold) return 'uncertain_kind';
  if (classification.negative) return 'negative_not_complaint';
  return undefined;
}
