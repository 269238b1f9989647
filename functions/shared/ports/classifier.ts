/** The classification port: what decides kind, category, severity and language for one message. */
import type { Channel, Classification, Source } from '../../../schemas/feedback.ts';

/** What the classifier may look at. The text is already PII-masked. */
export interface ClassifyInput {
  text: string;
  /** The language the channel declared, if any (`zh`, `en`, `zh-TW`…). */
  language?: string;
  subject?: string;
  rating?: number;
  channel?: Channel;
  source?: Source;
}

/** Port: a classifier. Implementations must be deterministic for the same input. */
export interface Classifier {
  classify(input: ClassifyInput): Promise<Classification>;
}
