/**
 * What processing asks of the FAQ: the suggestions for an inquiry, read from the index snapshot through
 * FaqIndexCache (no network beyond the table, no model download). A FAQ that cannot be read never holds
 * up intake: the inquiry is stored without suggestions and `GET /admin/feedback/{id}/suggestions`
 * computes them later. (Retrying the message instead would delay every inquiry while the FAQ is broken,
 * and a corrupt snapshot would dead-letter them all.)
 */
import type { FeedbackItem } from '../../../schemas/feedback.ts';
import type { Suggestion } from '../../../schemas/faq.ts';
import { errorFields, type Logger } from '../logger.ts';
import type { FaqIndexCache } from './faq-index-cache.ts';
import { suggest } from './suggest.ts';

/** Port: suggestions for a question, or null when there is no FAQ to ask (none saved, or unreadable now). */
export interface SuggestionSource {
  suggestionsFor(question: string): Promise<Suggestion[] | null>;
}

/** How many suggestions an item keeps (the design's "top 3"). */
export const SUGGESTIONS_PER_ITEM = 3;

/** The question an item asks: its subject (when the channel has one) and its text. */
export function questionOf(item: Pick<FeedbackItem, 'text' | 'subject'>): string {
  return item.subject ? `${item.subject}\n${item.text}` : item.text;
}

/** Whether processing looks for suggestions for an item: inquiries only (complaints go to a handler). */
export const wantsSuggestions = (item: Pick<FeedbackItem, 'kind'>): boolean => item.kind === 'inquiry';

/** SuggestionSource over the cached FAQ index. */
export class FaqSuggestionSource implements SuggestionSource {
  constructor(
    private readonly cache: FaqIndexCache,
    private readonly logger: Pick<Logger, 'warn'>,
  ) {}

  async suggestionsFor(question: string): Promise<Suggestion[] | null> {
    let current;
    try {
      current = await this.cache.current();
    } catch (err) {
      this.logger.warn('FAQ unreadable; item stored without suggestions', errorFields(err));
      return null;
    }
    return current ? suggest(current.index, question, { limit: SUGGESTIONS_PER_ITEM }) : null;
  }
}
