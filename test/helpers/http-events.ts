/** Builders for API Gateway HTTP API (payload 2.0) events and signed Standard Webhooks requests. */
import type { HttpEvent } from '../../functions/shared/http.ts';
import { signStandardWebhook } from '../../functions/shared/channels/standard-webhooks.ts';

export function httpEvent(method: string, path: string, body: string | Buffer = '', headers: Record<string, string> = {}, rawQuery = ''): HttpEvent {
  const buf = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: rawQuery,
    headers,
    requestContext: {
      accountId: '123456789012', apiId: 'api', domainName: 'example.com', domainPrefix: 'example',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.1', userAgent: 'test' },
      requestId: 'req-1', routeKey: '$default', stage: '$default', time: '', timeEpoch: 0,
    },
    body: buf.toString('base64'),
    isBase64Encoded: true,
  };
}

/** Headers of a Standard Webhooks delivery signed with `secret` now. */
export function standardWebhookHeaders(secret: string, id: string, body: string, ts = Math.floor(Date.now() / 1000)): Record<string, string> {
  return {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(ts),
    'webhook-signature': signStandardWebhook(secret, id, ts, body),
  };
}

export const feedbackBody = (text: string, data: Record<string, unknown> = {}) =>
  JSON.stringify({ type: 'feedback.submitted', timestamp: new Date().toISOString(), data: { text, ...data } });
