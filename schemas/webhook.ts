/** The Standard Webhooks body our own web, mobile and call-centre back ends send (`feedback.submitted`). */
import * as z from 'zod';

const codePoints = (s: string) => [...s].length;

/** `data.text`: 1 to 5,000 characters, counted in code points (a Chinese character or an emoji is one). */
export const FeedbackText = z
  .string({ error: 'text is required and must be a string' })
  .refine((s) => s.trim().length > 0, { message: 'text must not be empty' })
  .refine((s) => codePoints(s) <= 5000, { message: 'text must be at most 5,000 characters' });

export const SubmittedFeedback = z.object({
  type: z.literal('feedback.submitted', { error: 'type must be "feedback.submitted"' }),
  timestamp: z.iso.datetime({ offset: true }).optional(),
  data: z.object({
    text: FeedbackText,
    customer: z
      .object({
        id: z.string().max(256).optional(),
        name: z.string().max(256).optional(),
        phone: z.string().max(64).optional(),
        email: z.string().max(256).optional(),
      })
      .optional(),
    language: z.string().min(2).max(16).optional(),
    subject: z.string().max(500).optional(),
    rating: z.number().min(0).max(10).optional(),
    context: z.record(z.string(), z.unknown()).optional(),
  }),
});
export type SubmittedFeedback = z.infer<typeof SubmittedFeedback>;
