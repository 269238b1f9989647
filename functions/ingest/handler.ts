/**
 * The ingest Lambda: one entry point for every channel webhook. It routes by path to the channel's
 * adapter (which verifies the platform's signature on the raw bytes before parsing anything), masks and
 * queues what the adapter found, and only then answers the platform. Nothing is queued for a request
 * that fails verification or validation.
 */
import middy from '@middy/core';
import type { ChannelAdapter, ChannelRequest } from '../shared/channels/channel.ts';
import { MAX_BODY_BYTES } from '../shared/channels/channel.ts';
import { findAdapter } from '../shared/channels/registry.ts';
import { NotFoundError, PayloadTooLargeError, ServiceUnavailableError } from '../shared/errors.ts';
import { lowerHeaders, rawBody, type HttpEvent, type HttpResult } from '../shared/http.ts';
import { errorFields, type Logger } from '../shared/logger.ts';
import { httpProblem } from '../shared/middleware/http-problem.ts';
import { normaliseInbound } from '../shared/pipeline/normalise.ts';
import type { FeedbackQueue } from '../shared/ports/feedback-queue.ts';
import type { FeedbackRepository } from '../shared/ports/feedback-repository.ts';

export interface IngestDeps {
  adapters: ChannelAdapter[];
  queue: FeedbackQueue;
  receipts: Pick<FeedbackRepository, 'recordReceipt'>;
  logger: Logger;
  now?: () => Date;
}

const PREFIX = '/webhooks/';

/** Builds the ingest handler over its ports (AWS adapters in Lambda, local ones on one machine). */
export function createIngestHandler(deps: IngestDeps) {
  const now = deps.now ?? (() => new Date());

  return middy<HttpEvent, HttpResult>()
    .use(httpProblem(deps.logger))
    .handler(async (event): Promise<HttpResult> => {
      const path = event.rawPath ?? '';
      const adapter = path.startsWith(PREFIX) ? findAdapter(deps.adapters, path.slice(PREFIX.length).replace(/\/+$/, '')) : undefined;
      if (!adapter) throw new NotFoundError(`No webhook route ${path}.`);
      if (!adapter.configured) {
        throw new ServiceUnavailableError(`The ${adapter.route} channel is not configured on this stack (its secret is not set), so it accepts nothing.`);
      }
      const body = rawBody(event);
      if (body.length > MAX_BODY_BYTES) throw new PayloadTooLargeError(MAX_BODY_BYTES);

      const receivedAt = now();
      const request: ChannelRequest = {
        method: event.requestContext?.http?.method ?? 'POST',
        path,
        rawQuery: event.rawQueryString ?? '',
        query: firstValues(event.queryStringParameters),
        headers: lowerHeaders(event.headers),
        body,
        now: receivedAt,
      };
      const outcome = await adapter.handle(request);
      if (outcome.messages.length === 0) return outcome.respond([]);

      const messages = outcome.messages.map((m) => normaliseInbound(m, receivedAt));
      // Queue and record receipts together: the queue is what makes the 202 safe; the receipt only
      // tells a redelivery apart (a duplicate that is queued again is dropped by the conditional put).
      const [, firsts] = await Promise.all([
        deps.queue.send(messages).catch((err: unknown) => {
          deps.logger.error('queue send failed', { route: adapter.route, ...errorFields(err) });
          throw new ServiceUnavailableError('The feedback could not be queued; retry later.');
        }),
        Promise.all(
          messages.map((m) =>
            deps.receipts.recordReceipt(m.id, m.receivedAt).catch((err: unknown) => {
              deps.logger.warn('receipt not recorded', { id: m.id, ...errorFields(err) });
              return true;
            }),
          ),
        ),
      ]);
      const accepted = messages.map((m, i) => ({ id: m.id, duplicate: !firsts[i] }));
      deps.logger.debug('accepted', { route: adapter.route, ids: accepted.map((a) => a.id) });
      return outcome.respond(accepted);
    });
}

/** HTTP API joins repeated query parameters with commas; adapters want single values. */
function firstValues(params: Record<string, string | undefined> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params ?? {})) if (v !== undefined) out[k] = v;
  return out;
}
