/**
 * Which AWS API calls each Redress function makes, recorded while the local stack runs, so that an
 * infra test can hold each function's IAM policy to exactly those calls (test/infra/iam.test.ts, with
 * the recorded set kept in test/fixtures/aws-calls.json).
 *
 * Two sources, one record:
 * - **SDK clients** (DynamoDB, against dynalite locally): a middleware on each function's own client
 *   records every command as the SDK sends it, with the resource taken from its input (table, index).
 * - **Ports whose local stand-ins are not SDK clients** (event bus, clock timer, feedback queue): each
 *   call is recorded as the commands the function's AWS adapter sends for it, from
 *   AWS_ADAPTER_COMMANDS; test/unit/aws-adapter-commands.test.ts runs every AWS adapter under
 *   aws-sdk-client-mock and proves that table equals what it sends. (Running the AWS adapters
 *   themselves over SDK clients that deliver to the stand-ins was the alternative: it would put the
 *   SDK's per-call work, about as much as a receipt put, back on the thread that answers webhooks,
 *   for every queued message. Here, once a call is recorded, repeating it costs one comparison at
 *   a port and about 0.5 µs in the DynamoDB middleware.)
 *
 * A resource is named by the environment variable through which the function finds it in AWS
 * (REDRESS_TABLE_NAME, REDRESS_QUEUE_URL, …): the infra test resolves it to whatever that function's
 * configuration points at in the synthesized template.
 *
 * Calls are kept per process and shared between the stack's threads over a BroadcastChannel: each
 * thread posts the calls it sees first and keeps the union of everyone's. (The test runner must
 * therefore run test files in separate processes, as vitest's `forks` pool does.)
 */
import { BroadcastChannel } from 'node:worker_threads';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { ClockTimer } from '../../functions/shared/ports/clock-timer.ts';
import type { EventBus } from '../../functions/shared/ports/event-bus.ts';
import type { FeedbackQueue } from '../../functions/shared/ports/feedback-queue.ts';
import type { DeadLetterQueue } from '../../functions/shared/ports/dead-letter-queue.ts';
import type { QueueBackoff } from '../../functions/shared/ports/queue-backoff.ts';
import type { DeliveryReportQueue, ReplyQueue } from '../../functions/shared/ports/reply-queue.ts';

/** The Lambda functions of the stack, by the names the recording and the infra test use. */
export const REDRESS_FUNCTIONS = ['ingest', 'process', 'clock-check', 'sweeper', 'admin', 'report', 'reply'] as const;
export type RedressFunctionName = (typeof REDRESS_FUNCTIONS)[number];

/** One kind of call a function makes: an API operation on a resource. */
export interface AwsCall {
  function: RedressFunctionName;
  /** `<IAM service prefix>:<API operation>` as the SDK names it, e.g. `dynamodb:Query`, `sqs:SendMessageBatch`. */
  command: string;
  /** The environment variable through which the function finds the resource, e.g. `REDRESS_TABLE_NAME`. */
  resource: string;
  /** The part of that resource addressed: `index/<name>` for a GSI, `execution` for a state machine's executions. */
  part?: string;
}

export type AwsCallTarget = Omit<AwsCall, 'function'>;

/** A stable text key of a call (also its sort order). */
export function awsCallKey(call: AwsCall): string {
  return `${call.function} ${call.command} ${call.resource}${call.part ? `/${call.part}` : ''}`;
}

/** The BroadcastChannel the stack's threads share their calls on. */
export const AWS_CALLS_CHANNEL = 'redress:aws-calls';

/** A set of calls; the shared one (`awsCalls`) is kept in step with the other threads of this process. */
export class AwsCallLog {
  private readonly seen = new Map<string, AwsCall>();
  private readonly channel: BroadcastChannel | undefined;
  /** Bumped by clear(), so recorders that skip what they already recorded record it again. */
  generation = 0;

  constructor(options: { shared?: boolean } = {}) {
    if (!options.shared) return;
    this.channel = new BroadcastChannel(AWS_CALLS_CHANNEL);
    // Never keeps a thread alive; calls heard from other threads are added without being posted again.
    this.channel.unref();
    this.channel.onmessage = (message) => this.add((message as { data: AwsCall }).data);
  }

  /** Records a call (once per distinct call; other threads hear of it). */
  record(call: AwsCall): void {
    if (this.add(call)) this.channel?.postMessage(call);
  }

  /** Every distinct call so far, sorted. */
  calls(): AwsCall[] {
    return [...this.seen.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, call]) => call);
  }

  clear(): void {
    this.seen.clear();
    this.generation++;
  }

  private add(call: AwsCall): boolean {
    const key = awsCallKey(call);
    if (this.seen.has(key)) return false;
    this.seen.set(key, { ...call });
    return true;
  }
}

/** This process's log (one per thread, kept in step over the channel). */
export const awsCalls = new AwsCallLog({ shared: true });

/** IAM service prefix of each SDK client. */
const SERVICE_OF_CLIENT: Record<string, string> = {
  DynamoDBClient: 'dynamodb',
  SQSClient: 'sqs',
  EventBridgeClient: 'events',
  SFNClient: 'states',
  SecretsManagerClient: 'secretsmanager',
};

/**
 * The resources a command's input addresses, named by the environment variable holding each
 * (`resources`: variable → value, as the function's environment has them). An identifier no variable
 * holds is returned as `?<identifier>`, so it shows up (and fails the fixture check) instead of
 * vanishing.
 */
export function resourcesOfInput(service: string, input: Record<string, unknown>, resources: Record<string, string>): Array<Pick<AwsCall, 'resource' | 'part'>> {
  const named = (value: unknown) => Object.keys(resources).find((k) => resources[k] === value) ?? `?${String(value)}`;
  switch (service) {
    case 'dynamodb':
      // BatchGetItem / BatchWriteItem name their tables as the keys of RequestItems.
      if (input.RequestItems && typeof input.RequestItems === 'object') return Object.keys(input.RequestItems).map((table) => ({ resource: named(table) }));
      return [{ resource: named(input.TableName), ...(input.IndexName ? { part: `index/${String(input.IndexName)}` } : {}) }];
    case 'sqs':
      return [{ resource: named(input.QueueUrl) }];
    case 'events': {
      const buses = new Set(((input.Entries ?? []) as Array<{ EventBusName?: string }>).map((e) => e.EventBusName ?? 'default'));
      return [...buses].map((bus) => ({ resource: named(bus) }));
    }
    case 'states': {
      if (input.stateMachineArn) return [{ resource: named(input.stateMachineArn) }];
      const execution = String(input.executionArn);
      const machine = Object.keys(resources).find((k) => execution.startsWith(`${resources[k]!.replace(':stateMachine:', ':execution:')}:`));
      return [{ resource: machine ?? `?${execution}`, part: 'execution' }];
    }
    case 'secretsmanager':
      return [{ resource: named(input.SecretId) }];
    default:
      return [{ resource: `?${JSON.stringify(Object.keys(input))}` }];
  }
}

/** The calls one SDK command makes (operation name without `Command`, with its resources). */
export function callsOfCommand(fn: RedressFunctionName, clientName: string, commandName: string, input: Record<string, unknown>, resources: Record<string, string>): AwsCall[] {
  const service = SERVICE_OF_CLIENT[clientName] ?? `?${clientName}`;
  const command = `${service}:${commandName.replace(/Command$/, '')}`;
  return resourcesOfInput(service, input, resources).map((r) => ({ function: fn, command, ...r }));
}

/**
 * Records every command `client` sends as a call of function `fn` (`resources`: the function's
 * resource variables and their values). Runs before the request is built: what is recorded is what
 * was asked for, whether or not it then succeeds.
 */
export function recordSdkCalls(client: Pick<DynamoDBClient, 'middlewareStack'>, fn: RedressFunctionName, resources: Record<string, string>, log: AwsCallLog = awsCalls): void {
  // Hot path (every receipt put): a command already recorded on the same fixed-name resource costs one
  // Set lookup. Commands addressing per-call names (executions, event entries) are worked out each time.
  const recorded = new Set<string>();
  let generation = log.generation;
  client.middlewareStack.add(
    (next, context) => (args) => {
      const input = (args as { input: Record<string, unknown> }).input;
      if (generation !== log.generation) {
        recorded.clear();
        generation = log.generation;
      }
      const cacheable = input.executionArn === undefined && input.Entries === undefined;
      const batchTables = input.RequestItems && typeof input.RequestItems === 'object' ? Object.keys(input.RequestItems).join(',') : undefined;
      const signature = `${String(context.commandName)}|${String(input.TableName ?? batchTables ?? input.QueueUrl ?? input.SecretId ?? input.stateMachineArn ?? '')}|${String(input.IndexName ?? '')}`;
      if (cacheable && recorded.has(signature)) return next(args);
      for (const call of callsOfCommand(fn, String(context.clientName), String(context.commandName), input, resources)) log.record(call);
      if (cacheable) recorded.add(signature);
      return next(args);
    },
    { step: 'initialize', name: 'redressAwsCallRecorder' },
  );
}

/**
 * What each AWS adapter sends for a port call (functions/shared/adapters/aws/): EventBridgeEventBus,
 * SfnClockTimer, SqsFeedbackQueue, SqsQueueBackoff, SqsDeadLetterQueue, SqsReplyQueue. A publish or send of nothing sends nothing.
 * test/unit/aws-adapter-commands.test.ts proves each entry against the adapter itself.
 */
export const AWS_ADAPTER_COMMANDS = {
  'EventBus.publish': [{ command: 'events:PutEvents', resource: 'REDRESS_EVENT_BUS_NAME' }],
  'ClockTimer.start': [{ command: 'states:StartExecution', resource: 'REDRESS_CLOCK_STATE_MACHINE_ARN' }],
  'ClockTimer.stop': [{ command: 'states:StopExecution', resource: 'REDRESS_CLOCK_STATE_MACHINE_ARN', part: 'execution' }],
  'FeedbackQueue.send': [{ command: 'sqs:SendMessageBatch', resource: 'REDRESS_QUEUE_URL' }],
  'QueueBackoff.postpone': [{ command: 'sqs:ChangeMessageVisibilityBatch', resource: 'REDRESS_QUEUE_URL' }],
  'DeadLetterQueue.send': [{ command: 'sqs:SendMessageBatch', resource: 'REDRESS_DEAD_LETTER_QUEUE_URL' }],
  'ReplyQueue.enqueue': [{ command: 'sqs:SendMessage', resource: 'REDRESS_REPLY_QUEUE_URL' }],
  'DeliveryReportQueue.report': [{ command: 'sqs:SendMessageBatch', resource: 'REDRESS_REPLY_QUEUE_URL' }],
} as const satisfies Record<string, readonly AwsCallTarget[]>;

export type AdapterCall = keyof typeof AWS_ADAPTER_COMMANDS;

/** Records a port call as its AWS adapter's commands; after the first, one comparison (the ingest hot path). */
function adapterCallRecorder(fn: RedressFunctionName, call: AdapterCall, log: AwsCallLog): () => void {
  let recordedIn = -1;
  return () => {
    if (recordedIn === log.generation) return;
    for (const target of AWS_ADAPTER_COMMANDS[call]) log.record({ function: fn, ...target });
    recordedIn = log.generation;
  };
}

/** `bus` as function `fn` uses it: each publish is recorded as what EventBridgeEventBus sends. */
export function recordedEventBus(fn: RedressFunctionName, bus: EventBus, log: AwsCallLog = awsCalls): EventBus {
  const record = adapterCallRecorder(fn, 'EventBus.publish', log);
  return {
    publish: (events) => {
      if (events.length) record();
      return bus.publish(events);
    },
  };
}

/** `timer` as function `fn` uses it: starts and stops recorded as what SfnClockTimer sends. */
export function recordedClockTimer(fn: RedressFunctionName, timer: ClockTimer, log: AwsCallLog = awsCalls): ClockTimer {
  const recordStart = adapterCallRecorder(fn, 'ClockTimer.start', log);
  const recordStop = adapterCallRecorder(fn, 'ClockTimer.stop', log);
  return {
    start: (t) => {
      recordStart();
      return timer.start(t);
    },
    stop: (t) => {
      recordStop();
      return timer.stop(t);
    },
  };
}

/** `queue` as function `fn` uses it: each send recorded as what SqsFeedbackQueue sends. */
export function recordedFeedbackQueue(fn: RedressFunctionName, queue: FeedbackQueue, log: AwsCallLog = awsCalls): FeedbackQueue {
  const record = adapterCallRecorder(fn, 'FeedbackQueue.send', log);
  return {
    send: (messages) => {
      if (messages.length) record();
      return queue.send(messages);
    },
  };
}

/** `queue` as function `fn` uses it: each enqueue recorded as what SqsReplyQueue sends. */
export function recordedReplyQueue(fn: RedressFunctionName, queue: ReplyQueue, log: AwsCallLog = awsCalls): ReplyQueue {
  const record = adapterCallRecorder(fn, 'ReplyQueue.enqueue', log);
  return {
    enqueue: (job, delaySeconds) => {
      record();
      return queue.enqueue(job, delaySeconds);
    },
  };
}

/** `queue` as function `fn` uses it: each report recorded as what SqsReplyQueue sends. */
export function recordedDeliveryReportQueue(fn: RedressFunctionName, queue: DeliveryReportQueue, log: AwsCallLog = awsCalls): DeliveryReportQueue {
  const record = adapterCallRecorder(fn, 'DeliveryReportQueue.report', log);
  return {
    report: (updates) => {
      if (updates.length) record();
      return queue.report(updates);
    },
  };
}

/** `backoff` as function `fn` uses it: each postponement recorded as what SqsQueueBackoff sends. */
export function recordedQueueBackoff(fn: RedressFunctionName, backoff: QueueBackoff, log: AwsCallLog = awsCalls): QueueBackoff {
  const record = adapterCallRecorder(fn, 'QueueBackoff.postpone', log);
  return {
    postpone: (messages) => {
      if (messages.length) record();
      return backoff.postpone(messages);
    },
  };
}

/** `letters` as function `fn` uses it: each send recorded as what SqsDeadLetterQueue sends. */
export function recordedDeadLetterQueue(fn: RedressFunctionName, letters: DeadLetterQueue, log: AwsCallLog = awsCalls): DeadLetterQueue {
  const record = adapterCallRecorder(fn, 'DeadLetterQueue.send', log);
  return {
    send: (batch) => {
      if (batch.length) record();
      return letters.send(batch);
    },
  };
}
