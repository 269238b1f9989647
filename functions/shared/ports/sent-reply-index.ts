/**
 * Port: which reply a platform's message id belongs to (a pointer record beside the items, in the same
 * table), so a delivery report naming only the platform's id (wamid, mid, MessageSid) finds its reply.
 * Written when the platform accepts a reply, before `sent` is recorded; writing it twice is harmless.
 */
import type { Source } from '../../../schemas/feedback.ts';

export interface SentReplyRef {
  feedbackId: string;
  replyId: string;
}

export interface SentReplyIndex {
  remember(source: Source, platformMessageId: string, ref: SentReplyRef): Promise<void>;
  find(source: Source, platformMessageId: string): Promise<SentReplyRef | undefined>;
}
