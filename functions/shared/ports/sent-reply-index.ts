/**
 * Port: which reply a platform's message id belongs to (a pointer record beside the items, in the same
 * table), so a delivery report naming only the platform's id (wamid, mid, MessageSid) finds its reply.
 * Written when the platform accepts a reply, before `sent` is recorded; writing it twice is harmless.
 *
 * Messenger and Instagram receipts may name no message at all, only a *watermark* (every message sent to
 * the customer before it is delivered, or read): for those sources a reply sent is also remembered under
 * its conversation (the bank's account and the customer), by the time it was sent, so a watermark
 * finds the replies sent before it.
 */
import type { Source } from '../../../schemas/feedback.ts';

export interface SentReplyRef {
  feedbackId: string;
  replyId: string;
}

/** One conversation on a platform: the bank's account (Page, Instagram account) and the customer's id there (PSID, IGSID). */
export interface Conversation {
  source: Source;
  accountId: string;
  customerId: string;
}

/** The sources whose receipts carry a watermark instead of (or beside) message ids. */
export const WATERMARK_SOURCES: readonly Source[] = ['messenger', 'instagram'];

export interface SentReplyIndex {
  remember(source: Source, platformMessageId: string, ref: SentReplyRef): Promise<void>;
  find(source: Source, platformMessageId: string): Promise<SentReplyRef | undefined>;
  /** Remembers a reply sent in `conversation` at `sentAt` (ISO 8601: no later than the platform's own time for it). */
  rememberSent(conversation: Conversation, sentAt: string, ref: SentReplyRef): Promise<void>;
  /** The replies sent in `conversation` at or before `watermark` (ISO 8601), latest first, at most `limit`. */
  sentBefore(conversation: Conversation, watermark: string, limit: number): Promise<SentReplyRef[]>;
}
