/**
 * When a message that failed is tried again, and when the processor gives up on it.
 *
 * After the n-th failed receive the message is hidden for min(first × 2^(n−1), max) seconds (SQS
 * ChangeMessageVisibility), and a failure on receive number `maxAttempts` dead-letters it with its
 * reason. Permanent failures skip all that: they are dead-lettered on the receive that found them.
 *
 * The defaults, and the arithmetic behind them (README "Retries and the dead-letter queue"):
 *   delays 30, 60, 120, 240, 480 s, then 900 s (15 min) for every further failure; 16 attempts.
 *   A message received at the very start of an outage is received again at 0.5, 1.5, 3.5, 7.5, 15.5,
 *   30.5, 45.5 … min; its 16th and last receive comes after 30+60+120+240+480 + 10×900 = 9,930 s
 *   ≈ 2 h 45 min. So any outage shorter than that loses nothing and needs no redrive; a 15-minute
 *   DynamoDB brown-out is over by the 6th receive (15.5 min), with 10 attempts to spare. (Each attempt
 *   also takes its own time, which only lengthens the gaps.) A message that keeps failing for a reason
 *   nobody fixes is in the dead-letter queue, with that reason, about 2 h 45 min after it arrived.
 *   The queue's own redrive policy is a backstop set a few receives higher (`redriveMaxReceiveCount`),
 *   for receives whose failure the function could not report (a crash, a timeout).
 */
import { parseIsoDuration } from '../clocks/duration.ts';
import type { FailureClass } from '../ports/dead-letter-queue.ts';
import { ConfigurationError } from '../config.ts';

export interface RetryPolicy {
  /** Delay after the first failed receive, whole seconds (≥ 1). */
  firstDelaySeconds: number;
  /** Cap on the delay, whole seconds (≤ 43,200: SQS's 12-hour visibility limit). */
  maxDelaySeconds: number;
  /** Receives after which a message that still fails is dead-lettered by the processor. */
  maxAttempts: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { firstDelaySeconds: 30, maxDelaySeconds: 900, maxAttempts: 16 };

/** SQS's limit on a visibility timeout (ChangeMessageVisibility). */
export const MAX_VISIBILITY_SECONDS = 43_200;

/**
 * Receives the queue's redrive policy allows beyond the processor's attempts: it only acts on messages
 * whose failures were never reported (the function crashed or timed out on them every time).
 */
export const REDRIVE_MARGIN = 4;

/** The queue's maxReceiveCount for a policy: the processor decides first, the queue is the backstop. */
export function redriveMaxReceiveCount(policy: RetryPolicy): number {
  return policy.maxAttempts + REDRIVE_MARGIN;
}

/** Seconds to hide a message after its `receiveCount`-th receive failed (1-based). */
export function retryDelaySeconds(policy: RetryPolicy, receiveCount: number): number {
  const n = Math.max(1, Math.floor(receiveCount));
  // 2^(n-1) overflows to Infinity for large n; min() then gives the cap, as it should.
  return Math.min(policy.firstDelaySeconds * 2 ** (n - 1), policy.maxDelaySeconds);
}

/**
 * The longest outage a message received at its start survives: the time between its first receive and
 * its last (the sum of the delays before every attempt but the first).
 */
export function survivableOutageSeconds(policy: RetryPolicy): number {
  let total = 0;
  for (let n = 1; n < policy.maxAttempts; n++) total += retryDelaySeconds(policy, n);
  return total;
}

export type FailureDecision =
  | { action: 'retry'; delaySeconds: number }
  | { action: 'dead-letter'; why: 'permanent' | 'attempts-exhausted' };

/** What to do with a message whose `receiveCount`-th receive failed with a failure of class `failure`. */
export function decideOnFailure(policy: RetryPolicy, failure: FailureClass, receiveCount: number): FailureDecision {
  if (failure === 'permanent') return { action: 'dead-letter', why: 'permanent' };
  if (receiveCount >= policy.maxAttempts) return { action: 'dead-letter', why: 'attempts-exhausted' };
  return { action: 'retry', delaySeconds: retryDelaySeconds(policy, receiveCount) };
}

/**
 * Reads the policy from `REDRESS_RETRY_FIRST_DELAY`, `REDRESS_RETRY_MAX_DELAY` (ISO 8601 durations in
 * whole seconds) and `REDRESS_PROCESS_ATTEMPTS`; unset ones keep the defaults.
 * @throws Error naming every bad variable (at cold start, so a bad deploy fails loudly).
 */
export function loadRetryPolicy(env: NodeJS.ProcessEnv): RetryPolicy {
  const issues: string[] = [];
  const seconds = (name: string, fallback: number): number => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    try {
      const ms = parseIsoDuration(raw);
      if (ms % 1000 !== 0 || ms < 1000 || ms > MAX_VISIBILITY_SECONDS * 1000) issues.push(`${name}: whole seconds from PT1S to PT12H`);
      return ms / 1000;
    } catch (err) {
      issues.push(`${name}: ${(err as Error).message}`);
      return fallback;
    }
  };
  const firstDelaySeconds = seconds('REDRESS_RETRY_FIRST_DELAY', DEFAULT_RETRY_POLICY.firstDelaySeconds);
  const maxDelaySeconds = seconds('REDRESS_RETRY_MAX_DELAY', Math.max(DEFAULT_RETRY_POLICY.maxDelaySeconds, firstDelaySeconds));
  if (maxDelaySeconds < firstDelaySeconds) issues.push('REDRESS_RETRY_MAX_DELAY: must not be shorter than REDRESS_RETRY_FIRST_DELAY');
  const attemptsText = env.REDRESS_PROCESS_ATTEMPTS?.trim();
  const maxAttempts = attemptsText ? Number(attemptsText) : DEFAULT_RETRY_POLICY.maxAttempts;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 100) issues.push('REDRESS_PROCESS_ATTEMPTS: an integer from 1 to 100');
  if (issues.length) throw new ConfigurationError(`invalid retry configuration: ${issues.join('; ')}`);
  return { firstDelaySeconds, maxDelaySeconds, maxAttempts };
}
