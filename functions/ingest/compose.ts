/**
 * The ingest function's one composition root: the channel adapters, the receipt and nonce stores and the
 * customer keyer the ingest handler runs over. The Lambda entry (index.ts) gives it an AWS document client
 * and SQS; the local stack (infra/local/local-stack.ts) gives it dynalite, its receipts worker and its
 * journaled queues. Only what is passed in differs, so the two wirings cannot drift apart.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoFeedbackRepository } from '../shared/adapters/aws/dynamo-feedback-repository.ts';
import { DynamoNonceStore } from '../shared/adapters/aws/dynamo-nonce-store.ts';
import { createChannelAdapters } from '../shared/channels/registry.ts';
import { createCustomerKeyer, parseCustomerKeySecrets } from '../shared/customers/customer-key.ts';
import { createIngestHandler, type IngestDeps } from './handler.ts';

/** What the ingest function is wired to: the table (through its document client) and its queues. */
export interface IngestAdapters extends Pick<IngestDeps, 'queue' | 'deliveryReports' | 'logger' | 'metrics'> {
  documentClient: DynamoDBDocumentClient;
  tableName: string;
  /** Where receipts are put (default: the table through `documentClient`; locally a worker thread with the same adapter). */
  receipts?: IngestDeps['receipts'];
}

/**
 * The ingest handler over `adapters`, configured by `channelEnv`: the channel secret's values (platform
 * secrets, REDRESS_CUSTOMER_KEY_SECRET) with the function's settings. Called again when a refresh finds
 * the secret changed.
 */
export function composeIngestHandler(channelEnv: NodeJS.ProcessEnv, adapters: IngestAdapters): ReturnType<typeof createIngestHandler> {
  const { documentClient: doc, tableName: table, logger } = adapters;
  // Feedback is never refused for want of a key secret: without one, items carry no customer key (and this says so at every cold start and refresh).
  const customerKeySecrets = parseCustomerKeySecrets(channelEnv.REDRESS_CUSTOMER_KEY_SECRET);
  if (customerKeySecrets.length === 0) logger.error('REDRESS_CUSTOMER_KEY_SECRET is not set in the channel secret: items get no customer key');
  return createIngestHandler({
    adapters: createChannelAdapters(channelEnv),
    queue: adapters.queue,
    receipts: adapters.receipts ?? new DynamoFeedbackRepository(doc, table),
    // WeChat's signed nonces: a conditional put each, shared by every instance.
    nonces: new DynamoNonceStore(doc, table),
    logger,
    ...(adapters.metrics ? { metrics: adapters.metrics } : {}),
    ...(customerKeySecrets.length ? { customerKeys: createCustomerKeyer(customerKeySecrets) } : {}),
    ...(adapters.deliveryReports ? { deliveryReports: adapters.deliveryReports } : {}),
  });
}
