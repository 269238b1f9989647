/**
 * Observability for a Lambda entry point, as a middy middleware over Powertools: before the handler,
 * the Lambda context (cold start, request id, function name) and the invocation's correlation ids
 * (webhook id, feedback ids, clock execution name) join every log entry, and the cold-start metric is
 * published once; after it (or on error), those ids are dropped again and the counts are flushed as
 * one EMF entry. The event itself is never logged (POWERTOOLS_LOGGER_LOG_EVENT is overridden): it
 * carries message text and contact details.
 */
import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import type { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import type { Metrics as PowertoolsMetrics } from '@aws-lambda-powertools/metrics';
import type { Logger } from '../../logger.ts';
import type { Metrics } from '../../metrics.ts';
import { createPowertoolsLogger, powertoolsLoggerPort } from './powertools-logger.ts';
import { createPowertoolsMetrics, powertoolsMetricsPort } from './powertools-metrics.ts';

/** Ids that tie an invocation's entries to a request or an item; undefined ones are left out. */
export type CorrelationIds = Record<string, string | string[] | undefined>;

export interface Observability {
  /** The ports the handler's dependencies take. */
  logger: Logger;
  metrics: Metrics;
  /** The middleware for the handler, with the function's way of finding correlation ids in its event. */
  middleware<E>(correlationIds: (event: E) => CorrelationIds): MiddlewareObj<E, unknown, Error, Context>;
}

/** Powertools logger and metrics for `service` (the function's name), and the middleware that runs them. */
export function powertoolsObservability(service: string, env: NodeJS.ProcessEnv = process.env): Observability {
  const logger = createPowertoolsLogger(service, env);
  const metrics = createPowertoolsMetrics(service, env);
  return { logger: powertoolsLoggerPort(logger), metrics: powertoolsMetricsPort(metrics), middleware: (ids) => observabilityMiddleware(logger, metrics, ids) };
}

/** The middleware itself (exported for tests that hold the Powertools instances). */
export function observabilityMiddleware<E>(logger: PowertoolsLogger, metrics: PowertoolsMetrics, correlationIds: (event: E) => CorrelationIds): MiddlewareObj<E, unknown, Error, Context> {
  const flush = () => {
    logger.resetKeys();
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  };
  return {
    before: (request) => {
      if (request.context?.awsRequestId) logger.addContext(request.context);
      metrics.captureColdStartMetric(request.context?.functionName);
      const ids: Record<string, string | string[]> = {};
      // A malformed event must still reach the handler (which answers it); it just has no ids.
      let found: CorrelationIds = {};
      try {
        found = correlationIds(request.event);
      } catch {
        found = {};
      }
      for (const [k, v] of Object.entries(found)) if (v !== undefined && v.length > 0) ids[k] = v;
      logger.appendKeys(ids);
    },
    after: flush,
    onError: flush,
  };
}

const ID = /^[\w:.=-]{1,128}$/;
const idOrUndefined = (v: unknown): string | undefined => (typeof v === 'string' && ID.test(v) ? v : undefined);

/**
 * A webhook's ids: the sender's own delivery id where the platform gives one (Standard Webhooks
 * `webhook-id`, Twilio's idempotency token), and API Gateway's request id.
 */
export function webhookCorrelationIds(event: { headers?: Record<string, string | undefined>; requestContext?: { requestId?: string } }): CorrelationIds {
  const headers = Object.fromEntries(Object.entries(event.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    webhookId: idOrUndefined(headers['webhook-id']) ?? idOrUndefined(headers['i-twilio-idempotency-token']),
    apiRequestId: idOrUndefined(event.requestContext?.requestId),
  };
}

/**
 * The feedback ids of an SQS batch: each body's `feedbackId` (reply jobs) or `id` (queued feedback).
 * Only that field is read from the body; nothing else of it reaches the log.
 */
export function queueCorrelationIds(event: { Records?: Array<{ body?: string }> }): CorrelationIds {
  const ids = new Set<string>();
  for (const record of event.Records ?? []) {
    try {
      const body = JSON.parse(record.body ?? '') as { feedbackId?: unknown; id?: unknown };
      const id = idOrUndefined(body.feedbackId) ?? idOrUndefined(body.id);
      if (id) ids.add(id);
    } catch {
      // not JSON: the handler reports it
    }
  }
  return { feedbackIds: [...ids] };
}

/** A clock check's ids: the complaint and the clock state machine's execution name. */
export function clockCorrelationIds(event: { feedbackId?: unknown; executionName?: unknown; [key: string]: unknown }): CorrelationIds {
  return { feedbackId: idOrUndefined(event.feedbackId), executionName: idOrUndefined(event.executionName) };
}
