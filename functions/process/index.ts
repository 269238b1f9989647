/**
 * Lambda entry point of the process function: its composition root (compose.ts) given DynamoDB,
 * EventBridge, Step Functions, SQS, the classifier and (automatic FAQ answers) the replies queue.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createDocumentClient } from '../shared/adapters/aws/dynamo-feedback-repository.ts';
import { EventBridgeEventBus } from '../shared/adapters/aws/eventbridge-event-bus.ts';
import { cachedSecretEnvironment, withSecretEnvironment } from '../shared/adapters/aws/secrets.ts';
import { powertoolsObservability, queueCorrelationIds } from '../shared/adapters/powertools/observability.ts';
import { SfnClockTimer } from '../shared/adapters/aws/sfn-clock-timer.ts';
import { SqsDeadLetterQueue } from '../shared/adapters/aws/sqs-dead-letter-queue.ts';
import { SqsQueueBackoff } from '../shared/adapters/aws/sqs-queue-backoff.ts';
import { SqsReplyQueue } from '../shared/adapters/aws/sqs-reply-queue.ts';
import { createReplySender } from '../shared/channels/reply-router.ts';
import { createLocalClassifier } from '../shared/classification/local-classifier.ts';
import { requiredEnv } from '../shared/config.ts';
import { parseEnv } from '../shared/runtime-config.ts';
import { composeProcessHandler, parseProcessConfig } from './compose.ts';
import { ProcessEnv } from './config.ts';

/**
 * A call that hangs (a dependency in trouble) fails after this long and is retried by the SDK, instead
 * of holding the function to its timeout: the handler must keep time to report and postpone its
 * failures. Healthy DynamoDB, EventBridge and Step Functions answer in milliseconds.
 */
const requestHandler = { requestTimeout: 5_000, connectionTimeout: 2_000 };

// Validated at cold start: a missing resource or a bad REDRESS_SLA_FIRST_RESPONSE, REDRESS_JURISDICTION,
// REDRESS_TRIAGE_THRESHOLD, REDRESS_FAQ_AUTOREPLY… fails loudly here, naming the variable.
const env = parseEnv('process', ProcessEnv, process.env);
const config = parseProcessConfig(env);
const observability = powertoolsObservability('process');
const logger = observability.logger;
// Automatic answers need to know which channels have reply credentials: the channel secret, read at cold
// start and again every REDRESS_SECRET_CACHE_SECONDS (whatever the setting, so the function's calls, and
// so its grants, do not depend on it).
const secrets = cachedSecretEnvironment(env, logger);
await secrets.current();
const sqs = new SQSClient({ requestHandler });
const documentClient = createDocumentClient(new DynamoDBClient({ requestHandler }));
// Built once per cold start (the model above all); only the handler is rebuilt after a secret change.
const classifier = createLocalClassifier();

const adapters = {
  documentClient,
  tableName: env.REDRESS_TABLE_NAME,
  eventBus: new EventBridgeEventBus(new EventBridgeClient({ requestHandler }), env.REDRESS_EVENT_BUS_NAME),
  clockTimer: new SfnClockTimer(new SFNClient({ requestHandler }), env.REDRESS_CLOCK_STATE_MACHINE_ARN),
  backoff: new SqsQueueBackoff(sqs, env.REDRESS_QUEUE_URL),
  deadLetters: new SqsDeadLetterQueue(sqs, env.REDRESS_DEAD_LETTER_QUEUE_URL),
  classifier,
  logger,
  metrics: observability.metrics,
};

/** The handler with the reply router of the channel secret as of `replyEnv` (rebuilt when a refresh finds it changed). */
const build = (replyEnv: NodeJS.ProcessEnv) =>
  composeProcessHandler(config, {
    ...adapters,
    autoReplies: () => ({ router: createReplySender(replyEnv), queue: new SqsReplyQueue(sqs, requiredEnv(env, 'REDRESS_REPLY_QUEUE_URL')) }),
  }).use(observability.middleware(queueCorrelationIds));

export const handler = withSecretEnvironment(secrets, build);
