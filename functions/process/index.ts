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
import { environmentWithSecrets } from '../shared/adapters/aws/secrets.ts';
import { SfnClockTimer } from '../shared/adapters/aws/sfn-clock-timer.ts';
import { SqsDeadLetterQueue } from '../shared/adapters/aws/sqs-dead-letter-queue.ts';
import { SqsQueueBackoff } from '../shared/adapters/aws/sqs-queue-backoff.ts';
import { SqsReplyQueue } from '../shared/adapters/aws/sqs-reply-queue.ts';
import { createReplySender } from '../shared/channels/reply-router.ts';
import { createLocalClassifier } from '../shared/classification/local-classifier.ts';
import { requiredEnv } from '../shared/config.ts';
import { createLogger } from '../shared/logger.ts';
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
// Automatic answers need to know which channels have reply credentials: the channel secret, read once per
// cold start (whatever the setting, so the function's calls, and so its grants, do not depend on it).
const replyEnv = await environmentWithSecrets(process.env);
const sqs = new SQSClient({ requestHandler });

export const handler = composeProcessHandler(config, {
  documentClient: createDocumentClient(new DynamoDBClient({ requestHandler })),
  tableName: env.REDRESS_TABLE_NAME,
  eventBus: new EventBridgeEventBus(new EventBridgeClient({ requestHandler }), env.REDRESS_EVENT_BUS_NAME),
  clockTimer: new SfnClockTimer(new SFNClient({ requestHandler }), env.REDRESS_CLOCK_STATE_MACHINE_ARN),
  backoff: new SqsQueueBackoff(sqs, env.REDRESS_QUEUE_URL),
  deadLetters: new SqsDeadLetterQueue(sqs, env.REDRESS_DEAD_LETTER_QUEUE_URL),
  classifier: createLocalClassifier(),
  autoReplies: () => ({ router: createReplySender(replyEnv), queue: new SqsReplyQueue(sqs, requiredEnv(process.env, 'REDRESS_REPLY_QUEUE_URL')) }),
  logger: createLogger('process'),
});
