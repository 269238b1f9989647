/** Port: delaying the next delivery of messages that failed (SQS ChangeMessageVisibility; the local queue's equivalent). */

export interface PostponedMessage {
  /** The receipt handle of the current receive (a stale one is refused, as by SQS). */
  receiptHandle: string;
  /** Seconds from now until the message is delivered again (0 to 43,200). */
  delaySeconds: number;
}

export interface QueueBackoff {
  /**
   * Hides each received message for its delay. Resolves with the receipt handles that could not be
   * postponed (their messages come back after the queue's default visibility timeout instead).
   */
  postpone(messages: PostponedMessage[]): Promise<string[]>;
}
