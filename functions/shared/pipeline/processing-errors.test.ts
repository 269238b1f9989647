import { describe, expect, it } from 'vitest';
import { DynamoDBServiceException, ProvisionedThroughputExceededException, RequestLimitExceeded, InternalServerError, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { EventBridgeServiceException } from '@aws-sdk/client-eventbridge';
import { ExecutionLimitExceeded, InvalidExecutionInput, SFNServiceException } from '@aws-sdk/client-sfn';
import { marshall } from '@aws-sdk/util-dynamodb';
import * as z from 'zod';
import { EventBridgeEntriesError } from '../adapters/aws/eventbridge-event-bus.ts';
import { classifyProcessingFailure } from './processing-errors.ts';
import { PoisonMessageError, parseQueuedMessage } from './process-feedback.ts';

const classOf = (err: unknown) => classifyProcessingFailure(err).class;
const meta = (httpStatusCode?: number) => ({ $metadata: httpStatusCode === undefined ? {} : { httpStatusCode } });
/** A network error as Node reports it (code on the error), e.g. from the SDK's Node HTTP handler. */
const networkError = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:8000`), { code });
/** What the marshaller throws for a value, captured from the library itself. */
function marshallingError(value: Record<string, unknown>): unknown {
  try {
    marshall(value, { removeUndefinedValues: true });
  } catch (err) {
    return err;
  }
  throw new Error('expected the marshaller to refuse the value');
}

describe('classifyProcessingFailure: transient (retry later)', () => {
  it.each([
    ['DynamoDB ProvisionedThroughputExceeded', new ProvisionedThroughputExceededException({ message: 'slow down', ...meta(400) })],
    ['DynamoDB RequestLimitExceeded', new RequestLimitExceeded({ message: 'account limit', ...meta(400) })],
    ['DynamoDB ThrottlingException (by name)', new DynamoDBServiceException({ name: 'ThrottlingException', $fault: 'client', message: 'rate', ...meta(400) })],
    ['HTTP 429', new DynamoDBServiceException({ name: 'TooManyRequests', $fault: 'client', message: 'x', ...meta(429) })],
    ['DynamoDB InternalServerError (500)', new InternalServerError({ message: 'oops', ...meta(500) })],
    ['a 503 without a known name', new DynamoDBServiceException({ name: 'Whatever', $fault: 'server', message: 'x', ...meta(503) })],
    ['a server fault with no status', new DynamoDBServiceException({ name: 'Whatever', $fault: 'server', message: 'x', ...meta() })],
    ['an error the SDK marks $retryable', Object.assign(new Error('x'), { name: 'Odd', $retryable: {}, ...meta(400) })],
    ['connection refused', networkError('ECONNREFUSED')],
    ['connection reset', networkError('ECONNRESET')],
    ['socket timeout', networkError('ETIMEDOUT')],
    ['the SDK TimeoutError', Object.assign(new Error('socket hang up'), { name: 'TimeoutError' })],
    ['a network error as the cause of another', Object.assign(new Error('wrapped'), { cause: networkError('ECONNRESET') })],
    ['Step Functions throttling', new SFNServiceException({ name: 'ThrottlingException', $fault: 'client', message: 'x', ...meta(400) })],
    ['Step Functions ExecutionLimitExceeded', new ExecutionLimitExceeded({ message: 'too many open executions', ...meta(400) })],
    ['Step Functions 5xx', new SFNServiceException({ name: 'ServiceUnavailable', $fault: 'server', message: 'x', ...meta(503) })],
    ['EventBridge 5xx', new EventBridgeServiceException({ name: 'InternalException', $fault: 'server', message: 'x', ...meta(500) })],
    ['EventBridge entries throttled', new EventBridgeEntriesError(['ThrottlingException', 'ThrottlingException'], 2)],
    ['EventBridge entries with internal failures', new EventBridgeEntriesError(['InternalFailure', 'ThrottlingException'], 2)],
  ])('%s', (_label, err) => {
    expect(classOf(err)).toBe('transient');
  });
});

describe('classifyProcessingFailure: permanent (dead-letter at once)', () => {
  it('a queue message that is not JSON', () => {
    let err: unknown;
    try {
      parseQueuedMessage('not json');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PoisonMessageError);
    expect(classOf(err)).toBe('permanent');
  });

  it('a zod validation error', () => {
    const result = z.object({ text: z.string() }).safeParse({});
    expect(classOf(result.error)).toBe('permanent');
  });

  it.each([
    ['a class instance in a map', { context: JSON.parse('{"constructor":"x"}') as unknown }],
    ['a Date', { at: new Date(0) }],
    ['Infinity', { n: Number.POSITIVE_INFINITY }],
    ['an unsafe integer', { n: 2 ** 60 }],
  ])('a value the DynamoDB marshaller refuses: %s', (_label, value) => {
    expect(classOf(marshallingError(value))).toBe('permanent');
  });

  it.each([
    ['DynamoDB ValidationException (item too large)', new DynamoDBServiceException({ name: 'ValidationException', $fault: 'client', message: 'Item size has exceeded the maximum allowed size', ...meta(400) })],
    ['DynamoDB SerializationException', new DynamoDBServiceException({ name: 'SerializationException', $fault: 'client', message: 'x', ...meta(400) })],
    ['Step Functions InvalidExecutionInput', new InvalidExecutionInput({ message: 'bad input', ...meta(400) })],
    ['EventBridge entry MalformedDetail beside a throttled one', new EventBridgeEntriesError(['ThrottlingException', 'MalformedDetail'], 2)],
  ])('%s', (_label, err) => {
    expect(classOf(err)).toBe('permanent');
  });
});

describe('classifyProcessingFailure: unknown (retry, dead-letter when attempts run out)', () => {
  it.each([
    ['a plain bug', new TypeError('cannot read properties of undefined')],
    ['AccessDenied (a grant missing after a deploy: fixable, so not permanent)', new DynamoDBServiceException({ name: 'AccessDeniedException', $fault: 'client', message: 'x', ...meta(400) })],
    ['ResourceNotFound (the table is not there yet)', new ResourceNotFoundException({ message: 'x', ...meta(400) })],
    ['an EventBridge entry code nobody documented', new EventBridgeEntriesError(['Unknown'], 1)],
    ['a thrown string', 'boom'],
    ['undefined', undefined],
  ])('%s', (_label, err) => {
    expect(classOf(err)).toBe('unknown');
  });
});

describe('classifyProcessingFailure: what it records', () => {
  it('names the error and says what went wrong in one bounded line', () => {
    const failure = classifyProcessingFailure(new ProvisionedThroughputExceededException({ message: 'x'.repeat(1000), ...meta(400) }));
    expect(failure.errorName).toBe('ProvisionedThroughputExceededException');
    expect(failure.reason.startsWith('ProvisionedThroughputExceededException: x')).toBe(true);
    expect(failure.reason.length).toBeLessThanOrEqual(300);
  });
});
