/**
 * The ingest function's DynamoDB calls, on a worker thread: each receipt is the same conditional put
 * through the same adapter (DynamoFeedbackRepository.recordReceipt) as in AWS, only not on the thread
 * that answers webhooks, where the SDK's per-call work (about 0.3 ms of CPU) was most of the cost of
 * a request. Started by receipts-worker.ts; never imported by the stack itself.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { DynamoFeedbackRepository, createDocumentClient } from '../../functions/shared/adapters/aws/dynamo-feedback-repository.ts';
import { errorFields } from '../../functions/shared/logger.ts';
import { createLoopbackDynamoClient } from './dynamo-local.ts';
import { UsageMeter } from './usage-meter.ts';
import type { ReceiptReply, ReceiptsFromWorker, ReceiptsToWorker } from './receipts-worker.ts';

const port = parentPort!;
const { tableName } = workerData as { tableName: string };
const post = (message: ReceiptsFromWorker) => port.postMessage(message);
const meter = new UsageMeter();
let client: ReturnType<typeof createLoopbackDynamoClient> | undefined;
let repository: DynamoFeedbackRepository | undefined;

// Answers go back together, once per turn of this thread's event loop.
let replies: ReceiptReply[] = [];
function reply(r: ReceiptReply): void {
  if (replies.length === 0) setImmediate(() => {
    post({ type: 'replies', replies, usage: meter.take() });
    replies = [];
  });
  replies.push(r);
}

port.on('message', (message: ReceiptsToWorker) => {
  if (message.type === 'connect') {
    client = createLoopbackDynamoClient(message.endpoint, undefined, { function: 'ingest', tableName });
    meter.instrumentDynamo(client);
    repository = new DynamoFeedbackRepository(createDocumentClient(client), tableName);
    post({ type: 'ready' });
  } else if (message.type === 'receipts') {
    for (const r of message.receipts) {
      if (!repository) {
        reply({ id: r.id, error: { error: 'Error', errorMessage: 'receipts worker is not connected' } });
        continue;
      }
      repository.recordReceipt(r.feedbackId, r.receivedAt).then(
        (first) => reply({ id: r.id, first }),
        (err: unknown) => reply({ id: r.id, error: errorFields(err) }),
      );
    }
  } else if (message.type === 'close') {
    client?.destroy();
    process.exit(0); // ends this thread only
  }
});
