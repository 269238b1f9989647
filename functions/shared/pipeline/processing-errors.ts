/**
 * Why processing a queued message failed, and so what to do with it:
 * - `transient`: the message is fine and a dependency is not (throttling, timeouts, 5xx, a refused or
 *   reset connection). Retry later; a brown-out must not empty the queue into the dead-letter queue.
 * - `permanent`: this message can never succeed (not our shape, fails validation, cannot be marshalled,
 *   a 4xx that says the request itself is invalid). Dead-letter it at once, with the reason.
 * - `unknown`: anything else (a bug, a missing permission after a bad deploy, a table that is not there).
 *   Retried like a transient failure, so a fix deployed meanwhile saves it, and dead-lettered once the
 *   attempts run out.
 *
 * A mistake towards `permanent` costs a redrive, one towards `unknown` only some retries, so only errors
 * known to be about the message itself are permanent. The AWS SDK's own metadata decides for SDK errors
 * (`$retryable`, `$fault`, `$metadata.httpStatusCode`, the error name), through the classification the
 * SDK's retry strategy uses (`@smithy/core/retry`).
 */
import { isThrottlingError, isTransientError } from '@smithy/core/retry';
import type { FailureClass } from '../ports/dead-letter-queue.ts';
import { PoisonMessageError } from './process-feedback.ts';


export interface ClassifiedFailure {
  class: FailureClass;
  /** The error's name (e.g. `ProvisionedThroughputExceededException`), for logs and the dead letter. */
  errorName: string;
  /** One line saying what went wrong, without the message's content. */
  reason: string;
}

/**
 * Service error names that mean "try again later" although the SDK does not mark them retryable:
 * EventBridge's PutEvents entry codes for its own trouble, and Step Functions' cap on open executions
 * (clock timers end on their own, so room comes back).
 */
const TRANSIENT_NAMES = new Set(['InternalFailure', 'InternalServerError', 'ServiceUnavailable', 'ServiceUnavailableException', 'ExecutionLimitExceeded']);

/**
 * Service error names that say the request built from this message is invalid, so sending it again
 * can never work: DynamoDB's ValidationException (item over 400 KB, an empty key, a bad attribute) and
 * SerializationException, EventBridge's entry codes for a bad event, Step Functions' bad input or name.
 */
const PERMANENT_NAMES = new Set(['ValidationException', 'SerializationException', 'InvalidArgument', 'MalformedDetail', 'InvalidExecutionInput', 'InvalidName']);

/**
 * What the DynamoDB marshaller (@aws-sdk/util-dynamodb) throws for a value it cannot store. It throws
 * plain Errors before any request is made, so their text is all there is to go by; the unit test feeds
 * real marshaller errors through this, so a library upgrade that rewords them fails there first.
 */
const MARSHALLING_MESSAGES = [/^Unsupported type passed/, /^Special numeric value .* is not allowed/, /^Number .* is (greater|lesser) than Number\.M(AX|IN)_SAFE_INTEGER/, /^Pass options\.removeUndefinedValues=true/];

interface SdkShaped {
  name?: unknown;
  message?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  /** EventBridge PutEvents entry failures, carried by EventBridgeEntriesError. */
  errorCodes?: unknown;
}

/** Classifies why processing a message failed (see the module comment). Never throws. */
export function classifyProcessingFailure(err: unknown): ClassifiedFailure {
  const e: SdkShaped = typeof err === 'object' && err !== null ? (err as SdkShaped) : {};
  const errorName = typeof e.name === 'string' && e.name ? e.name : 'Error';
  const message = typeof e.message === 'string' ? e.message : String(err);
  const reason = `${errorName}: ${message}`.slice(0, 300);
  return { class: failureClass(err, e, errorName, message), errorName, reason };
}

function failureClass(err: unknown, e: SdkShaped, name: string, message: string): FailureClass {
  if (err instanceof PoisonMessageError || name === 'PoisonMessageError' || name === 'ZodError') return 'permanent';
  if (Array.isArray(e.errorCodes) && e.errorCodes.length > 0) return entryCodesClass(e.errorCodes.map(String));
  if (typeof err === 'object' && err !== null) {
    const sdkError = err as Parameters<typeof isTransientError>[0];
    if (isThrottlingError(sdkError) || isTransientError(sdkError)) return 'transient';
  }
  const status = typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined;
  if (e.$fault === 'server' || (status !== undefined && status >= 500) || TRANSIENT_NAMES.has(name)) return 'transient';
  if (PERMANENT_NAMES.has(name) && (e.$fault === 'client' || (status !== undefined && status >= 400 && status < 500) || status === undefined)) return 'permanent';
  if (e.$metadata === undefined && MARSHALLING_MESSAGES.some((pattern) => pattern.test(message))) return 'permanent';
  return 'unknown';
}

/** A PutEvents call with failed entries: transient if every code is, permanent if any entry is invalid. */
function entryCodesClass(codes: string[]): FailureClass {
  if (codes.some((c) => PERMANENT_NAMES.has(c))) return 'permanent';
  if (codes.every((c) => TRANSIENT_NAMES.has(c) || isThrottlingError({ name: c, $metadata: {} } as Parameters<typeof isThrottlingError>[0]))) return 'transient';
  return 'unknown';
}
