/**
 * The process Lambda: consumes SQS batches, processes each message independently and reports only the
 * failed ones (`ReportBatchItemFailures`), so one bad message never makes a whole batch retry.
 */
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { errorFields, type Logger } from '../shared/logger.ts';
import { parseQueuedMessage, processFeedbackMessage, type ProcessDeps } from '../shared/pipeline/process-feedback.ts';

export interface ProcessHandlerDeps extends ProcessDeps {
  logger: Logger;
}

/** Builds the SQS batch handler over its ports. */
export function createProcessHandler(deps: ProcessHandlerDeps) {
  return middy<SQSEvent, SQSBatchResponse>().handler(async (event): Promise<SQSBatchResponse> => {
    const results = await Promise.allSettled(
      event.Records.map(async (record) => processFeedbackMessage(parseQueuedMessage(record.body), deps)),
    );
    const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
    results.forEach((result, i) => {
      const record = event.Records[i]!;
      if (result.status === 'rejected') {
        deps.logger.error('message failed', { messageId: record.messageId, receiveCount: record.attributes?.ApproximateReceiveCount, ...errorFields(result.reason) });
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    });
    return { batchItemFailures };
  });
}
