/** Lambda entry point of the ingest function: its composition root (compose.ts) given SQS and DynamoDB. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createDocumentClient } from '../shared/adapters/aws/dynamo-feedback-repository.ts';
import { cachedSecretEnvironment, withSecretEnvironment } from '../shared/adapters/aws/secrets.ts';
import { SqsReplyQueue } from '../shared/adapters/aws/sqs-reply-queue.ts';
import { SqsFeedbackQueue } from '../shared/adapters/aws/sqs-feedback-queue.ts';
import { powertoolsObservability, webhookCorrelationIds } from '../shared/adapters/powertools/observability.ts';
import { parseEnv } from '../shared/runtime-config.ts';
import { composeIngestHandler } from './compose.ts';
import { IngestEnv } from './config.ts';

// Parsed once at cold start: a missing resource or a malformed setting fails it, naming the variable.
const env = parseEnv('ingest', IngestEnv, process.env);
const observability = powertoolsObservability('ingest');
const logger = observability.logger;
// The channel secret is read at cold start (top-level await) and again every REDRESS_SECRET_CACHE_SECONDS,
// so a rotated value reaches warm functions without a recycle.
const secrets = cachedSecretEnvironment(env, logger);
await secrets.current();

const sqs = new SQSClient({});
const adapters = {
  documentClient: createDocumentClient(new DynamoDBClient({})),
  tableName: env.REDRESS_TABLE_NAME,
  queue: new SqsFeedbackQueue(sqs, env.REDRESS_QUEUE_URL),
  logger,
  metrics: observability.metrics,
  ...(env.REDRESS_REPLY_QUEUE_URL ? { deliveryReports: new SqsReplyQueue(sqs, env.REDRESS_REPLY_QUEUE_URL) } : {}),
};

/** The handler over the channel secret's values as of `channelEnv` (rebuilt when a refresh finds them changed). */
const build = (channelEnv: NodeJS.ProcessEnv) => composeIngestHandler(channelEnv, adapters).use(observability.middleware(webhookCorrelationIds));

export const handler = withSecretEnvironment(secrets, build);
