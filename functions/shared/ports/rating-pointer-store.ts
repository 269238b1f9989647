/**
 * Port: where a customer's open survey is found from a bare "reply 1–5". Written when a
 * complaint from a messaging platform is resolved: keyed by (source, the customer's platform id, hashed),
 * it names the complaint and the resolution the next bare rating from that customer rates, until the
 * survey window closes. A later resolution of another complaint by the same customer replaces it (the
 * latest resolution is the one a "5" answers).
 */
import type { Source } from '../../../schemas/feedback.ts';

export interface RatingPointer {
  feedbackId: string;
  /** The resolution rated (its `resolved` timeline entry's `at`). */
  resolvedAt: string;
  /** When the survey window closes. */
  expiresAt: string;
}

export interface RatingPointerStore {
  put(source: Source, customerId: string, pointer: RatingPointer): Promise<void>;
  /** The pointer for this customer on this platform, or undefined (none, or its window has closed). */
  get(source: Source, customerId: string, now: Date): Promise<RatingPointer | undefined>;
}
