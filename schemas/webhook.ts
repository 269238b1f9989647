/** The Standard Webhooks body our own web, mobile and call-centre back ends send (`feedback.submitted`). */
import * as z from 'zod/mini';
import { hasVisibleText, isStorableNumber } from './storable.ts';
import './zod-locale.ts';

const codePoints = (s: string) => [...s].length;

/**
 * `data.text`: 1 to 5,000 characters, counted in code points (a Chinese character or an emoji is one),
 * at least one of which shows: NUL, zero-width, format and space characters alone are empty.
 */
export const FeedbackText = z.string({ error: 'text is required and must be a string' }).check(
  z.refine(hasVisibleText, { message: 'text must not be empty (it has no visible character)' }),
  z.refine((s) => codePoints(s) <= 5000, { message: 'text must be at most 5,000 characters' }),
);

export const SubmittedFeedback = z.object({
  type: z.literal('feedback.submitted', { error: 'type must be "feedback.submitted"' }),
  timestamp: z.optional(z.iso.datetime({ offset: true })),
  data: z.object({
    text: FeedbackText,
    customer: z.optional(
      z.object({
        id: z.optional(z.string().check(z.maxLength(256))),
        name: z.optional(z.string().check(z.maxLength(256))),
        phone: z.optional(z.string().check(z.maxLength(64))),
        email: z.optional(z.string().check(z.maxLength(256))),
      }),
    ),
    language: z.optional(z.string().check(z.minLength(2), z.maxLength(16))),
    subject: z.optional(z.string().check(z.maxLength(500))),
    rating: z.optional(z.number().check(z.minimum(0), z.maximum(10), z.refine(isStorableNumber, { message: 'rating must be 0 or at least 1e-130' }))),
    /** Free-form metadata; what DynamoDB cannot hold in it is refused by storableIssues (schemas/storable.ts) on the raw JSON. */
    context: z.optional(z.record(z.string(), z.unknown())),
  }),
});
export type SubmittedFeedback = z.infer<typeof SubmittedFeedback>;
