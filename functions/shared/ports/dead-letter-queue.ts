/**
 * Port: the dead-letter queue, written by the processor itself for messages that can never succeed,
 * each with the reason (SQS message attributes; the local queue keeps the same attributes in its journal).
 * The body is the original one, so a redrive after a fix puts the very message back.
 */
/** How a processing failure is classed: worth retrying (`transient`), never (`permanent`), or not known. */
export type FailureClass = 'transient' | 'permanent' | 'unknown';

export interface DeadLetter {
  /** The queue message id it had on the feedback queue. */
  messageId: string;
  body: string;
  /** `permanent`: it can never succeed; `attempts-exhausted`: it kept failing for `failureClass` reasons. */
  why: 'permanent' | 'attempts-exhausted';
  failureClass: FailureClass;
  errorName: string;
  /** One line saying what went wrong (no message content). */
  reason: string;
  receiveCount: number;
}

export interface DeadLetterQueue {
  /** Durably stores the letters; resolves once every one is stored, throws otherwise. */
  send(letters: DeadLetter[]): Promise<void>;
}

/** The message attribute names a dead letter carries (SQS names: letters, digits, `-`, `_`, `.`). */
export const DEAD_LETTER_ATTRIBUTES = {
  why: 'redress-dead-letter-why',
  failureClass: 'redress-failure-class',
  errorName: 'redress-error-name',
  reason: 'redress-failure-reason',
  sourceMessageId: 'redress-source-message-id',
  receiveCount: 'redress-receive-count',
  deadLetteredAt: 'redress-dead-lettered-at',
} as const;

/** A dead letter's attributes as strings (SQS String attributes must not be empty). */
export function deadLetterAttributes(letter: DeadLetter, now = new Date()): Record<string, string> {
  const a = DEAD_LETTER_ATTRIBUTES;
  return {
    [a.why]: letter.why,
    [a.failureClass]: letter.failureClass,
    [a.errorName]: letter.errorName || 'Error',
    [a.reason]: letter.reason || letter.errorName || 'unknown',
    [a.sourceMessageId]: letter.messageId || 'unknown',
    [a.receiveCount]: String(letter.receiveCount),
    [a.deadLetteredAt]: now.toISOString(),
  };
}
