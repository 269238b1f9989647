/**
 * A bank back end receiving `reply.created` callbacks: it verifies the Standard Webhooks signature
 * (`webhook-id`, `webhook-timestamp` within ±5 minutes, `v1,` HMAC-SHA256 with the channel secret) on
 * the raw body, parses the body, and keeps each reply once by `webhook-id`, counting redeliveries, as
 * the README tells a back end to. Answers 204; 401 for a bad signature; 400 for a body it cannot read.
 */
import { decodeWebhookSecret, verifyStandardWebhook } from '../../functions/shared/channels/standard-webhooks.ts';
import { asObject, FakeServer, jsonBody, type FakeAnswer, type FakeBehaviour, type RecordedRequest } from './fake-server.ts';

/** A reply the back end took. */
export interface ReceivedReply {
  webhookId: string;
  body: Record<string, unknown>;
}

const problem = (status: number, title: string): FakeAnswer => ({ status, headers: { 'content-type': 'application/problem+json' }, body: { type: 'about:blank', title, status } });

export class StandardWebhooksReceiver extends FakeServer {
  readonly received = new Map<string, ReceivedReply>();
  /** Deliveries of a webhook-id already received (a retry after a lost answer). */
  redeliveries = 0;

  constructor(secrets: string[], now: () => Date = () => new Date()) {
    const keys = secrets.map(decodeWebhookSecret);
    const self: { fake?: StandardWebhooksReceiver } = {};
    const behaviour: FakeBehaviour = {
      handle: (req) => self.fake!.take(req, keys, now()),
      failure: (failure) => {
        if (failure.kind === 'server_error') return problem(503, 'Service Unavailable');
        if (failure.kind === 'rate_limited') return { ...problem(429, 'Too Many Requests'), headers: { 'content-type': 'application/problem+json', 'retry-after': String(failure.retryAfterSeconds ?? 1) } };
        return { status: 422, headers: { 'content-type': 'application/problem+json' }, body: { type: 'about:blank', title: 'Unprocessable', status: 422, detail: 'customer c-unknown does not exist' } };
      },
    };
    super(behaviour);
    self.fake = this;
  }

  private take(req: RecordedRequest, keys: Buffer[], now: Date): FakeAnswer {
    if (req.method !== 'POST') return problem(405, 'Method Not Allowed');
    try {
      verifyStandardWebhook(req.headers, Buffer.from(req.body, 'utf8'), keys, now);
    } catch {
      return problem(401, 'Invalid signature');
    }
    const body = asObject(jsonBody(req));
    const data = asObject(body?.data);
    if (body?.type !== 'reply.created' || typeof data?.replyId !== 'string' || typeof data.message !== 'string') return problem(400, 'Not a reply.created event');
    const webhookId = req.headers['webhook-id']!;
    if (this.received.has(webhookId)) this.redeliveries++;
    else this.received.set(webhookId, { webhookId, body });
    return { status: 204 };
  }
}
