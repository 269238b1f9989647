/**
 * The reply Lambda: consumes the `replies` queue. A delivery report (from ingest) is applied to the
 * reply it names (apply-delivery-report.ts). Otherwise a message is one attempt at one reply's send. Each
 * message makes one attempt (carry-out-reply.ts: claim, send, record) and, when the reply is not done
 * (a transient failure, or not yet due, or another carrier holds it), queues exactly one successor for
 * the next attempt's time, then is acknowledged. A store or bus failure reports the message failed, so
 * SQS redelivers it (the claim makes the repeat safe); a body that is not a reply job is dropped.
 */
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { errorFields, type Logger } from '../shared/logger.ts';
import { noMetrics, type Metrics } from '../shared/metrics.ts';
import type { ReplyQueue } from '../shared/ports/reply-queue.ts';
import { carryOutReply, type CarryOutDeps } from '../shared/replies/carry-out-reply.ts';
import { enqueueRetry, parseReplyQueueMessage } from '../shared/replies/reply-jobs.ts';
import { applyDeliveryReport } from '../shared/replies/apply-delivery-report.ts';
import type { SentReplyIndex } from '../shared/ports/sent-reply-index.ts';

export interface ReplyHandlerDeps extends CarryOutDeps {
  queue: ReplyQueue;
  sentReplies: SentReplyIndex;
  logger: Logger;
  /** Counts replies sent and failed for good (absent: nothing is counted). */
  metrics?: Metrics;
}

/** Builds the SQS batch handler over its ports. */
export function createReplyHandler(deps: ReplyHandlerDeps) {
  const now = deps.now ?? (() => new Date());
  const metrics = deps.metrics ?? noMetrics;
  return middy<SQSEvent, SQSBatchResponse>().handler(async (event): Promise<SQSBatchResponse> => {
    const outcomes = await Promise.allSettled(
      event.Records.map(async (record) => {
        const work = parseReplyQueueMessage(record.body);
        if (!work) {
          deps.logger.warn('not a reply job or delivery report; dropped', { messageId: record.messageId });
          return;
        }
        if (work.kind === 'delivery') {
          const applied = await applyDeliveryReport(deps, work.update);
          deps.logger.info('delivery report', { source: work.update.source, status: work.update.status, applied });
          return;
        }
        const job = { feedbackId: work.feedbackId, replyId: work.replyId };
        const result = await carryOutReply(deps, job.feedbackId, job.replyId);
        if (result.state === 'done' && result.status) metrics.count(result.status === 'sent' ? 'RepliesSent' : 'RepliesFailed');
        if (result.state === 'later') await enqueueRetry(deps.queue, job, result.at, now());
      }),
    );
    const failed = outcomes.flatMap((o, i) => {
      if (o.status === 'fulfilled') return [];
      deps.logger.warn('reply attempt not recorded; SQS redelivers it', { messageId: event.Records[i]!.messageId, ...errorFields(o.reason) });
      return [{ itemIdentifier: event.Records[i]!.messageId }];
    });
    return { batchItemFailures: failed };
  });
}
