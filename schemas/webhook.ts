/** The Standard Webhooks body our own web, mobile and call-centre back ends send (`feedback.submitted`). */
import * as z from 'zod/mini';
import './zod-locale.ts';

const codePoints = (s: string) => [...s].length;

/** `data.text`: 1 to 5,000 characters, counted in code points (a Chinese character or an emoji is one). */
export const FeedbackText = z.string({ error: 'text is required and must be a string' }).check(
  z.refine((s) => s.trim().length > 0, { message: 'text must not be empty' }),
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
    rating: z.optional(z.number().check(z.minimum(0), z.maximum(10))),
    context: z.optional(z.record(z.string(), z.unknown())),
  }),
});
export type SubmittedFeedback = z.infer<typeof SubmittedFeedback>;
