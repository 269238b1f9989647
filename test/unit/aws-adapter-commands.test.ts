/**
 * The local stack records the event bus, clock timer and queue calls of each function at the port
 * (infra/local/aws-calls.ts: recordedEventBus, recordedClockTimer, recordedFeedbackQueue), as what the
 * AWS adapter would send: these tests run each AWS adapter under aws-sdk-client-mock with the same
 * port calls and prove the recording names exactly the commands and resources the adapter sends.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SFNClient, StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { ChangeMessageVisibilityBatchCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { EventBridgeEventBus } from '../../functions/shared/adapters/aws/eventbridge-event-bus.ts';
import { SfnClockTimer } from '../../functions/shared/adapters/aws/sfn-clock-timer.ts';
import { SqsFeedbackQueue } from '../../functions/shared/adapters/aws/sqs-feedback-queue.ts';
import { SqsQueueBackoff } from '../../functions/shared/adapters/aws/sqs-queue-backoff.ts';
import { SqsDeadLetterQueue } from '../../functions/shared/adapters/aws/sqs-dead-letter-queue.ts';
import type { DomainEvent } from '../../functions/shared/ports/event-bus.ts';
import type { TimerStart } from '../../functions/shared/ports/clock-timer.ts';
import type { FeedbackMessage } from '../../schemas/feedback.ts';
import { AwsCallLog, awsCallKey, callsOfCommand, recordedClockTimer, recordedDeadLetterQueue, recordedEventBus, recordedFeedbackQueue, recordedQueueBackoff } from '../../infra/local/aws-calls.ts';

const RESOURCES = {
  REDRESS_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/redress-test-queue',
  REDRESS_DEAD_LETTER_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/redress-test-dlq',
  REDRESS_EVENT_BUS_NAME: 'redress-test',
  REDRESS_CLOCK_STATE_MACHINE_ARN: 'arn:aws:states:eu-west-1:123456789012:stateMachine:redress-test-clock',
};

const events = mockClient(EventBridgeClient);
const sfn = mockClient(SFNClient);
const sqs = mockClient(SQSClient);
beforeEach(() => {
  for (const m of [events, sfn, sqs]) m.reset();
  events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [] });
  sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn', startDate: new Date() });
  sfn.on(StopExecutionCommand).resolves({ stopDate: new Date() });
  sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
  sqs.on(ChangeMessageVisibilityBatchCommand).resolves({ Successful: [], Failed: [] });
});

/** What the AWS adapters sent, as recorded calls of `admin` (any function name would do). */
function sentByAdapters(): string[] {
  const sent = [
    ...events.calls().map((c) => ['EventBridgeClient', c.args[0]] as const),
    ...sfn.calls().map((c) => ['SFNClient', c.args[0]] as const),
    ...sqs.calls().map((c) => ['SQSClient', c.args[0]] as const),
  ];
  const keys = sent.flatMap(([client, command]) =>
    callsOfCommand('admin', client, command.constructor.name, command.input as Record<string, unknown>, RESOURCES).map(awsCallKey),
  );
  return [...new Set(keys)].sort();
}

const nothing = { publish: async () => undefined, start: async () => undefined, stop: async () => undefined, send: async () => undefined };
const recordedBy = (log: AwsCallLog) => log.calls().map(awsCallKey).sort();

const event = (i: number): DomainEvent => ({ id: `fb_1:Complaint.Opened:${i}`, detailType: 'Complaint.Opened', time: '2026-11-28T09:30:00.000Z', detail: { feedbackId: 'fb_1' } });
const timer: TimerStart = { feedbackId: 'fb_1', clock: 'first_response', warnAt: '2026-11-28T10:00:00.000Z', dueAt: '2026-11-28T10:30:00.000Z', escalateAt: '2026-11-28T11:00:00.000Z' };
const message = (i: number): FeedbackMessage => ({ id: `fb_${i}`, source: 'web', channel: 'web', externalId: `msg_${i}`, receivedAt: '2026-11-28T09:30:00.000Z', text: 'hello', customer: {} });

describe('recorded port calls are what the AWS adapters send', () => {
  it.each([0, 1, 11])('EventBus.publish of %i events', async (n) => {
    const log = new AwsCallLog();
    const batch = Array.from({ length: n }, (_, i) => event(i));
    await new EventBridgeEventBus(new EventBridgeClient({}), RESOURCES.REDRESS_EVENT_BUS_NAME).publish(batch);
    await recordedEventBus('admin', { publish: nothing.publish }, log).publish(batch);
    expect(recordedBy(log)).toEqual(sentByAdapters());
  });

  it('ClockTimer.start', async () => {
    const log = new AwsCallLog();
    await new SfnClockTimer(new SFNClient({}), RESOURCES.REDRESS_CLOCK_STATE_MACHINE_ARN).start(timer);
    await recordedClockTimer('admin', { start: nothing.start, stop: nothing.stop }, log).start(timer);
    expect(recordedBy(log)).toEqual(sentByAdapters());
    expect(recordedBy(log)).toEqual(['admin states:StartExecution REDRESS_CLOCK_STATE_MACHINE_ARN']);
  });

  it('ClockTimer.stop addresses the execution of the clock state machine', async () => {
    const log = new AwsCallLog();
    await new SfnClockTimer(new SFNClient({}), RESOURCES.REDRESS_CLOCK_STATE_MACHINE_ARN).stop({ ...timer, generation: 2 });
    await recordedClockTimer('admin', { start: nothing.start, stop: nothing.stop }, log).stop({ ...timer, generation: 2 });
    expect(recordedBy(log)).toEqual(sentByAdapters());
    expect(recordedBy(log)).toEqual(['admin states:StopExecution REDRESS_CLOCK_STATE_MACHINE_ARN/execution']);
  });

  it.each([0, 1, 25])('FeedbackQueue.send of %i messages', async (n) => {
    const log = new AwsCallLog();
    const batch = Array.from({ length: n }, (_, i) => message(i));
    await new SqsFeedbackQueue(new SQSClient({}), RESOURCES.REDRESS_QUEUE_URL).send(batch);
    await recordedFeedbackQueue('admin', { send: nothing.send }, log).send(batch);
    expect(recordedBy(log)).toEqual(sentByAdapters());
  });

  it.each([0, 1, 12])('QueueBackoff.postpone of %i messages', async (n) => {
    const log = new AwsCallLog();
    const batch = Array.from({ length: n }, (_, i) => ({ receiptHandle: `rh-${i}`, delaySeconds: 30 }));
    await new SqsQueueBackoff(new SQSClient({}), RESOURCES.REDRESS_QUEUE_URL).postpone(batch);
    await recordedQueueBackoff('admin', { postpone: async () => [] }, log).postpone(batch);
    expect(recordedBy(log)).toEqual(sentByAdapters());
  });

  it.each([0, 1, 12])('DeadLetterQueue.send of %i letters addresses the dead-letter queue', async (n) => {
    const log = new AwsCallLog();
    const batch = Array.from({ length: n }, (_, i) => ({
      messageId: `m-${i}`, body: '{}', why: 'permanent' as const, failureClass: 'permanent' as const, errorName: 'ValidationException', reason: 'bad', receiveCount: 1,
    }));
    await new SqsDeadLetterQueue(new SQSClient({}), RESOURCES.REDRESS_DEAD_LETTER_QUEUE_URL).send(batch);
    await recordedDeadLetterQueue('admin', { send: nothing.send }, log).send(batch);
    expect(recordedBy(log)).toEqual(sentByAdapters());
  });
});

describe('resources of SDK commands', () => {
  it('an identifier no resource variable holds is kept visible, not dropped', () => {
    const calls = callsOfCommand('admin', 'SQSClient', 'SendMessageCommand', { QueueUrl: 'https://elsewhere' }, RESOURCES);
    expect(calls.map(awsCallKey)).toEqual(['admin sqs:SendMessage ?https://elsewhere']);
  });

  it('a DynamoDB query names its index', () => {
    const calls = callsOfCommand('sweeper', 'DynamoDBClient', 'QueryCommand', { TableName: 't', IndexName: 'ClockActionsDue' }, { REDRESS_TABLE_NAME: 't' });
    expect(calls.map(awsCallKey)).toEqual(['sweeper dynamodb:Query REDRESS_TABLE_NAME/index/ClockActionsDue']);
  });
});
