/**
 * The process Lambda: consumes SQS batches, processes each message independently and reports only the
 * failed ones (`ReportBatchItemFailures`), so one bad message never makes a whole batch retry.
 *
 * A failure is classified (processing-errors.ts) and handled by the retry policy (retry-policy.ts):
 * - transient or unknown, attempts left: the message is reported failed and hidden for its backoff delay
 *   (ChangeMessageVisibility), so a dependency's outage spreads its receives out instead of using them up;
 * - permanent, or out of attempts: the processor itself sends it to the dead-letter queue with the
 *   reason as message attributes, then reports it done so the event source mapping deletes it. If that
 *   send fails, the message stays on the queue and is retried (stored twice in the DLQ at worst, never lost).
 * Why the processor dead-letters rather than leaving it to the queue's redrive policy: SQS's redrive
 * moves a message after N receives whatever the cause, and records no reason; here the cause decides,
 * and the reason travels with the message. The redrive policy stays, a few receives higher, for
 * receives whose failure the function could not report (it crashed or timed out).
 */
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { errorFields, type Logger } from '../shared/logger.ts';
import { noMetrics, type Metrics } from '../shared/metrics.ts';
import { parseQueuedMessage, processFeedbackMessage, type ProcessDeps, type ProcessResult } from '../shared/pipeline/process-feedback.ts';
import { classifyProcessingFailure, type ClassifiedFailure } from '../shared/pipeline/processing-errors.ts';
import { decideOnFailure, type RetryPolicy } from '../shared/pipeline/retry-policy.ts';
import type { DeadLetter, DeadLetterQueue } from '../shared/ports/dead-letter-queue.ts';
import type { PostponedMessage, QueueBackoff } from '../shared/ports/queue-backoff.ts';

export interface ProcessHandlerDeps extends ProcessDeps {
  logger: Logger;
  /** Counts complaints opened and messages that failed (absent: nothing is counted). */
  metrics?: Metrics;
  retryPolicy: RetryPolicy;
  backoff: QueueBackoff;
  deadLetters: DeadLetterQueue;
}

/**
 * Time kept back from the Lambda timeout to report failures and postpone them: messages still running
 * by then count as failed with a transient timeout (they may still finish in the background; a
 * redelivery then finds the item stored and its outbox done).
 */
const REPORTING_MARGIN_MS = 3_000;

class ProcessingDeadlineError extends Error {
  override name = 'TimeoutError';
  constructor() {
    super('processing did not finish before the function had to report its batch');
  }
}

/** Builds the SQS batch handler over its ports. */
export function createProcessHandler(deps: ProcessHandlerDeps) {
  return middy<SQSEvent, SQSBatchResponse>().handler(async (event, context): Promise<SQSBatchResponse> => {
    const outcomes = await processWithDeadline(event.Records, deps, context);
    const metrics = deps.metrics ?? noMetrics;
    metrics.count('ComplaintsOpened', outcomes.filter((o) => o.status === 'fulfilled' && o.value.created && o.value.kind === 'complaint').length);
    const failures = outcomes.flatMap((outcome, i) => (outcome.status === 'rejected' ? [failureOf(event.Records[i]!, outcome.reason, deps)] : []));
    metrics.count('ProcessingFailures', failures.length);
    if (failures.length === 0) return { batchItemFailures: [] };
    const retries = failures.filter((f) => f.decision.action === 'retry');
    const letters = failures.filter((f) => f.decision.action === 'dead-letter');
    const unsent = await sendDeadLetters(letters, deps);
    const postponed = [...retries, ...unsent];
    await postpone(postponed, deps);
    return { batchItemFailures: postponed.map((f) => ({ itemIdentifier: f.record.messageId })) };
  });
}

/** Runs every record, settling those still running shortly before the function must answer. */
async function processWithDeadline(records: SQSRecord[], deps: ProcessDeps, context: Context | undefined): Promise<PromiseSettledResult<ProcessResult>[]> {
  const work = records.map(async (record) => processFeedbackMessage(parseQueuedMessage(record.body), deps));
  const remaining = typeof context?.getRemainingTimeInMillis === 'function' ? context.getRemainingTimeInMillis() : 0;
  if (remaining <= 0) return Promise.allSettled(work);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ProcessingDeadlineError()), Math.max(0, remaining - REPORTING_MARGIN_MS));
  });
  deadline.catch(() => undefined);
  try {
    return await Promise.allSettled(work.map((w) => Promise.race([w, deadline])));
  } finally {
    clearTimeout(timer);
  }
}

interface Failure {
  record: SQSRecord;
  failure: ClassifiedFailure;
  receiveCount: number;
  decision: ReturnType<typeof decideOnFailure>;
}

function failureOf(record: SQSRecord, err: unknown, deps: ProcessHandlerDeps): Failure {
  const failure = classifyProcessingFailure(err);
  const receiveCount = Math.max(1, Number(record.attributes?.ApproximateReceiveCount) || 1);
  const decision = decideOnFailure(deps.retryPolicy, failure.class, receiveCount);
  deps.logger[decision.action === 'retry' ? 'warn' : 'error']('message failed', {
    messageId: record.messageId,
    receiveCount,
    failureClass: failure.class,
    ...(decision.action === 'retry' ? { retryInSeconds: decision.delaySeconds } : { deadLetter: decision.why }),
    ...errorFields(err),
  });
  return { record, failure, receiveCount, decision };
}

/** Dead-letters what can never succeed; answers the failures that could not be stored there (to retry). */
async function sendDeadLetters(letters: Failure[], deps: ProcessHandlerDeps): Promise<Failure[]> {
  if (letters.length === 0) return [];
  try {
    await deps.deadLetters.send(letters.map(toDeadLetter));
    return [];
  } catch (err) {
    deps.logger.error('dead-letter queue unavailable; keeping the messages', { count: letters.length, ...errorFields(err) });
    return letters.map((f) => ({ ...f, decision: { action: 'retry', delaySeconds: deps.retryPolicy.firstDelaySeconds } }));
  }
}

function toDeadLetter(f: Failure): DeadLetter {
  const why = f.decision.action === 'dead-letter' ? f.decision.why : 'attempts-exhausted';
  return {
    messageId: f.record.messageId,
    body: f.record.body,
    why,
    failureClass: f.failure.class,
    errorName: f.failure.errorName,
    reason: why === 'permanent' ? f.failure.reason : `still failing after ${f.receiveCount} attempts: ${f.failure.reason}`,
    receiveCount: f.receiveCount,
  };
}

/** Hides the failed messages for their backoff delays; one that cannot be postponed returns at the queue's default. */
async function postpone(failures: Failure[], deps: ProcessHandlerDeps): Promise<void> {
  const messages: PostponedMessage[] = failures.map((f) => ({
    receiptHandle: f.record.receiptHandle,
    delaySeconds: f.decision.action === 'retry' ? f.decision.delaySeconds : deps.retryPolicy.firstDelaySeconds,
  }));
  if (messages.length === 0) return;
  try {
    const refused = await deps.backoff.postpone(messages);
    if (refused.length) deps.logger.warn('could not postpone some failed messages', { count: refused.length });
  } catch (err) {
    deps.logger.warn('could not postpone failed messages', { count: messages.length, ...errorFields(err) });
  }
}
