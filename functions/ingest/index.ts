/** Lambda entry point of the ingest function: wires the handler to SQS and DynamoDB. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoFeedbackRepository, createDocumentClient } from '../shared/adapters/aws/dynamo-feedback-repository.ts';
import { DynamoNonceStore } from '../shared/adapters/aws/dynamo-nonce-store.ts';
import { SecretEnvironment, secretCacheTtlMs, withSecretEnvironment } from '../shared/adapters/aws/secrets.ts';
import { SqsReplyQueue } from '../shared/adapters/aws/sqs-reply-queue.ts';
import { SqsFeedbackQueue } from '../shared/adapters/aws/sqs-feedback-queue.ts';
import { powertoolsObservability, webhookCorrelationIds } from '../shared/adapters/powertools/observability.ts';
import { createChannelAdapters } from '../shared/channels/registry.ts';
import { createCustomerKeyer, parseCustomerKeySecrets } from '../shared/customers/customer-key.ts';
import { errorFields } from '../shared/logger.ts';
import { parseEnv } from '../shared/runtime-config.ts';
import { IngestEnv } from './config.ts';
import { createIngestHandler } from './handler.ts';

// Parsed once at cold start: a missing resource or a malformed setting fails it, naming the variable.
const env = parseEnv('ingest', IngestEnv, process.env);
const observability = powertoolsObservability('ingest');
const logger = observability.logger;
// The channel secret is read at cold start (top-level await) and again every REDRESS_SECRET_CACHE_SECONDS,
// so a rotated value reaches warm functions without a recycle.
const secrets = new SecretEnvironment(env, { ttlMs: secretCacheTtlMs(env), onStale: (err) => logger.warn('channel secret not refreshed; the values in hand stay in use', errorFields(err)) });
await secrets.current();

const tableName = env.REDRESS_TABLE_NAME;
const documentClient = createDocumentClient(new DynamoDBClient({}));
const sqs = new SQSClient({});

/** The handler over the channel secret's values as of `channelEnv` (rebuilt when a refresh finds them changed). */
function build(channelEnv: NodeJS.ProcessEnv) {
  // Feedback is never refused for want of a key secret: without one, items carry no customer key (and this says so at every cold start and refresh).
  const customerKeySecrets = parseCustomerKeySecrets(channelEnv.REDRESS_CUSTOMER_KEY_SECRET);
  if (customerKeySecrets.length === 0) logger.error('REDRESS_CUSTOMER_KEY_SECRET is not set in the channel secret: items get no customer key');
  return createIngestHandler({
    adapters: createChannelAdapters(channelEnv),
    queue: new SqsFeedbackQueue(sqs, env.REDRESS_QUEUE_URL),
    receipts: new DynamoFeedbackRepository(documentClient, tableName),
    nonces: new DynamoNonceStore(documentClient, tableName),
    logger,
    metrics: observability.metrics,
    ...(customerKeySecrets.length ? { customerKeys: createCustomerKeyer(customerKeySecrets) } : {}),
    ...(env.REDRESS_REPLY_QUEUE_URL ? { deliveryReports: new SqsReplyQueue(sqs, env.REDRESS_REPLY_QUEUE_URL) } : {}),
  }).use(observability.middleware(webhookCorrelationIds));
}

export const handler = withSecretEnvironment(secrets, build);
