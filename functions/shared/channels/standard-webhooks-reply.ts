/**
 * Replies to customers of the bank's own web, mobile and call-centre back ends, beside the Standard
 * Webhooks adapter (standard-webhooks.ts): a signed `POST` to `REDRESS_WEB_REPLY_URL` /
 * `REDRESS_MOBILE_REPLY_URL` / `REDRESS_HOTLINE_REPLY_URL` with the channel's current secret (the first
 * of its list), `webhook-id` = the reply id (the same on every retry, so the back end drops a repeat),
 * body `{type:"reply.created", timestamp, data:{replyId, feedbackId, externalId, customer:{id}, message,
 * language}}`. Any 2xx means sent; 5xx, 429 and 408 are retried; other answers fail the reply.
 */
import { BANK_SOURCES } from '../../../schemas/feedback.ts';
import { secretList } from '../config.ts';
import type { OutboundReply, SendOutcome } from '../ports/reply-sender.ts';
import {
  callPlatform,
  field,
  httpFailure,
  isSuccess,
  jsonOf,
  notConfigured,
  textField,
  type PlatformAnswer,
  type PlatformReplySender,
  type PlatformRequest,
  type ReplyHttpOptions,
} from './reply-http.ts';
import { signStandardWebhook } from './standard-webhooks.ts';

type OwnSource = (typeof BANK_SOURCES)[number];

/** One back end's callback: where, and the secret it verifies with. */
export interface OwnChannelReplyTarget {
  url?: string;
  secret?: string;
}

/** The three back ends' reply targets from the environment. */
export function ownChannelReplyConfig(env: NodeJS.ProcessEnv): Record<OwnSource, OwnChannelReplyTarget> {
  const target = (url: string | undefined, secrets: string | undefined): OwnChannelReplyTarget => {
    const u = url?.trim();
    const secret = secretList(secrets)[0];
    return { ...(u && /^https?:\/\//.test(u) ? { url: u } : {}), ...(secret ? { secret } : {}) };
  };
  return {
    web: target(env.REDRESS_WEB_REPLY_URL, env.REDRESS_WEB_SECRET),
    mobile: target(env.REDRESS_MOBILE_REPLY_URL, env.REDRESS_MOBILE_SECRET),
    hotline: target(env.REDRESS_HOTLINE_REPLY_URL, env.REDRESS_HOTLINE_SECRET),
  };
}

/** The `reply.created` body; `timestamp` is when the reply was created, so every retry sends the same bytes. */
export function replyCreatedBody(reply: OutboundReply, now: Date): string {
  return JSON.stringify({
    type: 'reply.created',
    timestamp: reply.createdAt ?? now.toISOString(),
    data: {
      replyId: reply.replyId,
      feedbackId: reply.feedbackId,
      externalId: reply.externalId,
      customer: { ...(reply.recipient.customerId ? { id: reply.recipient.customerId } : {}) },
      message: reply.message,
      ...(reply.language ? { language: reply.language } : {}),
      // Beyond design.md's fields: a rating request is not the bank's answer, and a back end may show it apart.
      ...(reply.purpose ? { purpose: reply.purpose } : {}),
    },
  });
}

/** The signed callback request; `webhook-timestamp` is the send time (receivers hold it to ±5 minutes). */
export function replyCallbackRequest(url: string, secret: string, reply: OutboundReply, now: Date): PlatformRequest {
  const body = replyCreatedBody(reply, now);
  const timestamp = Math.floor(now.getTime() / 1000);
  return {
    method: 'POST',
    url,
    headers: {
      'content-type': 'application/json',
      'webhook-id': reply.replyId,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signStandardWebhook(secret, reply.replyId, timestamp, body),
    },
    body,
  };
}

/** The outcome of the back end's answer: 2xx sent; otherwise its status, with a problem+json title or detail when it gave one. */
export function callbackOutcome(answer: PlatformAnswer, now: Date): SendOutcome {
  if (isSuccess(answer.status)) return { status: 'sent' };
  const json = jsonOf(answer.text);
  const detail = textField(json, 'detail') ?? textField(json, 'title') ?? textField(field(json, 'error'), 'message');
  return httpFailure(answer, `http_${answer.status}`, detail ?? `The back end answered ${answer.status}.`, now);
}

/** The adapter for the bank's own back ends (sources web, mobile, hotline). */
export function createOwnChannelReplySender(targets: Record<OwnSource, OwnChannelReplyTarget>, http: ReplyHttpOptions): PlatformReplySender {
  const targetOf = (source: string): OwnChannelReplyTarget | undefined => ((BANK_SOURCES as readonly string[]).includes(source) ? targets[source as OwnSource] : undefined);
  return {
    sources: [...BANK_SOURCES],
    configured: (source) => Boolean(targetOf(source)?.url && targetOf(source)?.secret),
    async send(reply) {
      const target = targetOf(reply.source);
      if (!target?.url || !target.secret) {
        return notConfigured(`${reply.source} replies need REDRESS_${reply.source.toUpperCase()}_REPLY_URL and REDRESS_${reply.source.toUpperCase()}_SECRET.`);
      }
      const answer = await callPlatform(http, replyCallbackRequest(target.url, target.secret, reply, http.now()));
      return 'text' in answer ? callbackOutcome(answer, http.now()) : answer;
    },
  };
}
