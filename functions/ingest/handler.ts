/**
 * The ingest Lambda: one entry point for every channel webhook. It routes by path to the channel's
 * adapter (which verifies the platform's signature on the raw bytes before parsing anything), masks and
 * queues what the adapter found, and only then answers the platform. Nothing is queued for a request
 * that fails verification or validation, or whose signed nonce was already used for another request.
 */
import middy from '@middy/core';
import type { ChannelAdapter, ChannelOutcome, ChannelRequest } from '../shared/channels/channel.ts';
import { MAX_BODY_BYTES } from '../shared/channels/channel.ts';
import { findAdapter } from '../shared/channels/registry.ts';
import { assertBodyWithin, ForbiddenError, NotFoundError, ServiceUnavailableError, UnauthorizedError } from '../shared/errors.ts';
import { lowerHeaders, rawBody, type HttpEvent, type HttpResult } from '../shared/http.ts';
import { errorFields, type Logger } from '../shared/logger.ts';
import { noMetrics, type Metrics } from '../shared/metrics.ts';
import { httpProblem } from '../shared/middleware/http-problem.ts';
import type { CustomerKeyer } from '../shared/customers/customer-key.ts';
import { normaliseInbound } from '../shared/pipeline/normalise.ts';
import type { FeedbackQueue } from '../shared/ports/feedback-queue.ts';
import type { FeedbackRepository } from '../shared/ports/feedback-repository.ts';
import type { NonceClaim, NonceStore } from '../shared/ports/nonce-store.ts';
import type { DeliveryReportQueue } from '../shared/ports/reply-queue.ts';

export interface IngestDeps {
  adapters: ChannelAdapter[];
  queue: FeedbackQueue;
  receipts: Pick<FeedbackRepository, 'recordReceipt'>;
  /** Signed (timestamp, nonce) pairs already used (WeChat), shared by every instance. */
  nonces: NonceStore;
  /** The replies queue, for platforms' reports on replies sent (absent: they are dropped, as before replies existed). */
  deliveryReports?: DeliveryReportQueue;
  logger: Logger;
  /** Counts received, duplicate and rejected webhooks per channel (absent: nothing is counted). */
  metrics?: Metrics;
  /** Derives each message's customer key from the raw identity, before masking (REDRESS_CUSTOMER_KEY_SECRET). */
  customerKeys?: CustomerKeyer;
  now?: () => Date;
}

const PREFIX = '/webhooks/';

/** Builds the ingest handler over its ports (AWS adapters in Lambda, local ones on one machine). */
export function createIngestHandler(deps: IngestDeps) {
  const now = deps.now ?? (() => new Date());
  const metrics = deps.metrics ?? noMetrics;

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
      // The one size check of every channel: the adapters get only bodies within it.
      assertBodyWithin(body, MAX_BODY_BYTES);

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
      let outcome: ChannelOutcome;
      try {
        outcome = await adapter.handle(request);
      } catch (err) {
        // A signature, token or timestamp the platform's verification refuses (401/403): someone other
        // than the platform, or a misconfigured secret (runbook: rotation).
        if (err instanceof ForbiddenError || err instanceof UnauthorizedError) metrics.count('SignatureRejected', 1, { channel: adapter.route });
        throw err;
      }
      if (outcome.nonce) await claimNonce(deps, adapter.route, outcome.nonce);
      // Reports on replies Redress sent are queued for the reply function before the platform is answered
      // (a failure is a 503, so the platform delivers them again); a stack without replies drops them.
      if (outcome.deliveryUpdates?.length && deps.deliveryReports) {
        try {
          await deps.deliveryReports.report(outcome.deliveryUpdates);
        } catch (err) {
          deps.logger.error('delivery reports not queued', { route: adapter.route, ...errorFields(err) });
          throw new ServiceUnavailableError('The delivery reports could not be queued; retry later.', { cause: err });
        }
      }
      if (outcome.messages.length === 0) return outcome.respond([]);

      const messages = outcome.messages.map((m) => normaliseInbound(m, receivedAt, deps.customerKeys));
      // Queue and record receipts together, and answer only when both are done: the queue makes the
      // acknowledgement safe, the receipt tells a redelivery apart. If either fails the sender is told to
      // retry (503); whatever was queued meanwhile is dropped as a duplicate by the processor's conditional put.
      const [queued, receipts] = await Promise.allSettled([
        deps.queue.send(messages),
        Promise.all(messages.map((m) => deps.receipts.recordReceipt(m.id, m.receivedAt))),
      ]);
      if (queued.status === 'rejected') deps.logger.error('queue send failed', { route: adapter.route, ...errorFields(queued.reason) });
      if (receipts.status === 'rejected') deps.logger.error('receipt not recorded', { route: adapter.route, ids: messages.map((m) => m.id), ...errorFields(receipts.reason) });
      if (queued.status === 'rejected' || receipts.status === 'rejected') {
        throw new ServiceUnavailableError('The feedback could not be recorded and queued; retry later.');
      }
      const firsts = receipts.value;
      const accepted = messages.map((m, i) => ({ id: m.id, duplicate: !firsts[i] }));
      const duplicates = accepted.filter((a) => a.duplicate).length;
      metrics.count('FeedbackReceived', accepted.length - duplicates, { channel: adapter.route });
      metrics.count('DuplicateDeliveries', duplicates, { channel: adapter.route });
      deps.logger.debug('accepted', { route: adapter.route, ids: accepted.map((a) => a.id) });
      return outcome.respond(accepted);
    });
}

/**
 * Claims a signed nonce before anything is answered or queued: a pair already used with another body
 * (or a GET's verification query replayed onto a POST) is a forgery, 403; the same request again (a
 * platform retry) passes; an unreachable store is a 503, so the platform retries rather than being
 * accepted unchecked.
 */
async function claimNonce(deps: IngestDeps, route: string, claim: NonceClaim): Promise<void> {
  const result = await deps.nonces.claim(claim).catch((err: unknown) => {
    deps.logger.error('nonce not recorded', { route, ...errorFields(err) });
    throw new ServiceUnavailableError('The request could not be checked for replay; retry later.', { cause: err });
  });
  if (result === 'conflict') throw new ForbiddenError('This signed timestamp and nonce were already used for another request.');
}

/** HTTP API joins repeated query parameters with commas; adapters want single values. */
function firstValues(params: Record<string, string | undefined> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params ?? {})) if (v !== undefined) out[k] = v;
  return out;
}
