/**
 * Replies as X direct messages, beside the X webhook adapter (x.ts): `POST
 * {REDRESS_X_API_URL}/2/dm_conversations/with/{participant_id}/messages` `{text}`, signed with OAuth
 * 1.0a in the bank account's user context (the JSON body is not part of the signature). X answers
 * 201 `{data:{dm_conversation_id, dm_event_id}}`; errors are problem details (`title`, `detail`,
 * `type`) or `{errors:[{message, code}]}`; a 429 says when to come back in `x-rate-limit-reset`.
 */
import { randomBytes } from 'node:crypto';
import { secretList } from '../config.ts';
import type { OutboundReply, SendOutcome } from '../ports/reply-sender.ts';
import { oauth1AuthorizationHeader, type OAuth1Credentials } from './oauth1.ts';
import {
  baseUrl,
  callPlatform,
  field,
  httpFailure,
  isSuccess,
  jsonOf,
  notConfigured,
  permanent,
  textField,
  transient,
  type PlatformAnswer,
  type PlatformReplySender,
  type PlatformRequest,
  type ReplyHttpOptions,
} from './reply-http.ts';

export const DEFAULT_X_API_URL = 'https://api.x.com';

/** X's rate-limit windows are 15 minutes or a day: a reset further away than a day is not believed. */
const MAX_RESET_WAIT_MS = 24 * 60 * 60 * 1000;

/** What the X reply adapter reads from the environment. */
export interface XReplyConfig {
  apiUrl: string;
  /** All four set, or undefined (then X replies are not configured). */
  credentials?: OAuth1Credentials;
}

/** The X reply configuration: the consumer secret is the first of `REDRESS_X_CONSUMER_SECRET` (the one that also answers CRCs). */
export function xReplyConfig(env: NodeJS.ProcessEnv): XReplyConfig {
  const consumerKey = env.REDRESS_X_CONSUMER_KEY?.trim();
  const consumerSecret = secretList(env.REDRESS_X_CONSUMER_SECRET)[0];
  const token = env.REDRESS_X_ACCESS_TOKEN?.trim();
  const tokenSecret = secretList(env.REDRESS_X_ACCESS_TOKEN_SECRET)[0];
  const complete = consumerKey && consumerSecret && token && tokenSecret;
  return { apiUrl: baseUrl(env.REDRESS_X_API_URL, DEFAULT_X_API_URL), ...(complete ? { credentials: { consumerKey, consumerSecret, token, tokenSecret } } : {}) };
}

/** The signed DM request to `participantId` (nonce and Unix-seconds timestamp given, so tests can fix them). */
export function xDirectMessageRequest(apiUrl: string, credentials: OAuth1Credentials, participantId: string, text: string, nonce: string, timestamp: number): PlatformRequest {
  const url = `${apiUrl}/2/dm_conversations/with/${encodeURIComponent(participantId)}/messages`;
  return {
    method: 'POST',
    url,
    headers: { 'content-type': 'application/json', authorization: oauth1AuthorizationHeader(credentials, { method: 'POST', url, nonce, timestamp }) },
    body: JSON.stringify({ text }),
  };
}

/** The outcome of an X answer: the DM event id on 2xx; otherwise X's error, a 429 waiting until the rate-limit reset. */
export function xOutcome(answer: PlatformAnswer, now: Date): SendOutcome {
  const json = jsonOf(answer.text);
  if (isSuccess(answer.status)) {
    const id = textField(field(json, 'data'), 'dm_event_id');
    return { status: 'sent', ...(id ? { platformMessageId: id } : {}) };
  }
  const errors = field(json, 'errors');
  const first = Array.isArray(errors) ? errors[0] : undefined;
  // A problem type names the error (…/2/problems/usage-capped); `about:blank` names nothing.
  const problemType = textField(json, 'type')?.replace(/^https:\/\/api\.(twitter|x)\.com\/2\/problems\//, '');
  const code = textField(first, 'code') ?? (problemType && problemType !== 'about:blank' ? problemType : `http_${answer.status}`);
  const message = textField(json, 'detail') ?? textField(first, 'message') ?? textField(json, 'title') ?? `X answered ${answer.status}.`;
  const failure = httpFailure(answer, code, message, now);
  if (failure.status === 'transient' && failure.retryAfterMs === undefined) {
    const reset = Number(answer.headers.get('x-rate-limit-reset'));
    if (Number.isFinite(reset) && reset > 0) return transient(code, message, Math.min(MAX_RESET_WAIT_MS, Math.max(0, reset * 1000 - now.getTime())));
  }
  return failure;
}

/** The X reply adapter. `nonce` is injectable for tests; by default 32 random hex characters per request. */
export function createXReplySender(config: XReplyConfig, http: ReplyHttpOptions, nonce: () => string = () => randomBytes(16).toString('hex')): PlatformReplySender {
  return {
    sources: ['x'],
    configured: () => config.credentials !== undefined,
    async send(reply: OutboundReply) {
      if (!config.credentials) return notConfigured('X replies need REDRESS_X_CONSUMER_KEY, REDRESS_X_CONSUMER_SECRET, REDRESS_X_ACCESS_TOKEN and REDRESS_X_ACCESS_TOKEN_SECRET.');
      const participant = reply.recipient.customerId;
      if (!participant) return permanent('reply_not_addressable', 'The item does not record the X user who wrote.');
      const timestamp = Math.floor(http.now().getTime() / 1000);
      const answer = await callPlatform(http, xDirectMessageRequest(config.apiUrl, config.credentials, participant, reply.message, nonce(), timestamp));
      return 'text' in answer ? xOutcome(answer, http.now()) : answer;
    },
  };
}
