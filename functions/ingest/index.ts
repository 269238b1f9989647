/** Lambda entry point of the ingest function: wires the handler to SQS and DynamoDB. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoFeedbackRepository, createDocumentClient } from '../shared/adapters/aws/dynamo-feedback-repository.ts';
import { DynamoNonceStore } from '../shared/adapters/aws/dynamo-nonce-store.ts';
import { environmentWithSecrets } from '../shared/adapters/aws/secrets.ts';
import { SqsReplyQueue } from '../shared/adapters/aws/sqs-reply-queue.ts';
import { SqsFeedbackQueue } from '../shared/adapters/aws/sqs-feedback-queue.ts';
import { createChannelAdapters } from '../shared/channels/registry.ts';
import { requiredEnv } from '../shared/config.ts';
import { createCustomerKeyer, parseCustomerKeySecrets } from '../shared/customers/customer-key.ts';
import { powertoolsObservability, webhookCorrelationIds } from '../shared/adapters/powertools/observability.ts';
import { createIngestHandler } from './handler.ts';

// Top-level await: secrets are fetched once per cold start, during initialisation.
const env = await environmentWithSecrets(process.env);

const tableName = requiredEnv(env, 'REDRESS_TABLE_NAME');
const documentClient = createDocumentClient(new DynamoDBClient({}));
const observability = powertoolsObservability('ingest');
const logger = observability.logger;
// Feedback is never refused for want of a key secret: without one, items carry no customer key (and this says so at every cold start).
const customerKeySecrets = parseCustomerKeySecrets(env.REDRESS_CUSTOMER_KEY_SECRET);
if (customerKeySecrets.length === 0) logger.error('REDRESS_CUSTOMER_KEY_SECRET is not set in the channel secret: items get no customer key');

export const handler = createIngestHandler({
  adapters: createChannelAdapters(env),
  queue: new SqsFeedbackQueue(new SQSClient({}), requiredEnv(env, 'REDRESS_QUEUE_URL')),
  receipts: new DynamoFeedbackRepository(documentClient, tableName),
  nonces: new DynamoNonceStore(documentClient, tableName),
  logger,
  metrics: observability.metrics,
  ...(customerKeySecrets.length ? { customerKeys: createCustomerKeyer(customerKeySecrets) } : {}),
  ...(env.REDRESS_REPLY_QUEUE_URL ? { deliveryReports: new SqsReplyQueue(new SQSClient({}), env.REDRESS_REPLY_QUEUE_URL) } : {}),
}).use(observability.middleware(webhookCorrelationIds));
