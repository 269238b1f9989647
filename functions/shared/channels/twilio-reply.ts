/**
 * Replies to a hotline caller by SMS through Twilio, beside the Twilio webhook adapter (twilio.ts):
 * `POST {REDRESS_TWILIO_API_URL}/2010-04-01/Accounts/{AccountSid}/Messages.json`, form fields `To`,
 * `From` (or `MessagingServiceSid` when `REDRESS_TWILIO_FROM` is an `MG…` service), `Body` and
 * `StatusCallback` = `{REDRESS_PUBLIC_URL}/webhooks/hotline/twilio/status`, HTTP Basic AccountSid:AuthToken.
 * Twilio answers 201 with the Message resource (`sid` `SM…`, `status: queued`); errors are
 * `{code, message, more_info, status}`.
 */
import { secretList } from '../config.ts';
import type { OutboundReply, SendOutcome } from '../ports/reply-sender.ts';
import {
  baseUrl,
  callPlatform,
  httpFailure,
  isSuccess,
  jsonOf,
  notConfigured,
  permanent,
  textField,
  type PlatformAnswer,
  type PlatformReplySender,
  type PlatformRequest,
  type ReplyHttpOptions,
} from './reply-http.ts';

export const DEFAULT_TWILIO_API_URL = 'https://api.twilio.com';

/** The path Twilio posts SMS status callbacks to (served by the Twilio webhook adapter, signed like every callback). */
export const TWILIO_STATUS_CALLBACK_PATH = '/webhooks/hotline/twilio/status';

/** What the Twilio reply adapter reads from the environment. */
export interface TwilioReplyConfig {
  apiUrl: string;
  accountSid?: string;
  /** The first of `REDRESS_TWILIO_AUTH_TOKEN` (the list that also verifies callbacks). */
  authToken?: string;
  /** A phone number in E.164 or a Messaging Service SID (`MG…`). */
  from?: string;
  /** `{REDRESS_PUBLIC_URL}/webhooks/hotline/twilio/status`, when the public URL is set. */
  statusCallback?: string;
}

/** The Twilio reply configuration from the environment. */
export function twilioReplyConfig(env: NodeJS.ProcessEnv): TwilioReplyConfig {
  const accountSid = env.REDRESS_TWILIO_ACCOUNT_SID?.trim();
  const authToken = secretList(env.REDRESS_TWILIO_AUTH_TOKEN)[0];
  const from = env.REDRESS_TWILIO_FROM?.trim();
  const publicUrl = env.REDRESS_PUBLIC_URL?.trim().replace(/\/+$/, '');
  return {
    apiUrl: baseUrl(env.REDRESS_TWILIO_API_URL, DEFAULT_TWILIO_API_URL),
    ...(accountSid ? { accountSid } : {}),
    ...(authToken ? { authToken } : {}),
    ...(from ? { from } : {}),
    ...(publicUrl && /^https?:\/\/[^/?#]+$/.test(publicUrl) ? { statusCallback: publicUrl + TWILIO_STATUS_CALLBACK_PATH } : {}),
  };
}

/** The Messages.json request sending `body` to `to`. */
export function twilioMessageRequest(config: Required<Pick<TwilioReplyConfig, 'apiUrl' | 'accountSid' | 'authToken' | 'from'>> & Pick<TwilioReplyConfig, 'statusCallback'>, to: string, body: string): PlatformRequest {
  const form = new URLSearchParams();
  form.set('To', to);
  form.set(/^MG[0-9a-fA-F]{32}$/.test(config.from) ? 'MessagingServiceSid' : 'From', config.from);
  form.set('Body', body);
  if (config.statusCallback) form.set('StatusCallback', config.statusCallback);
  return {
    method: 'POST',
    url: `${config.apiUrl}/2010-04-01/Accounts/${encodeURIComponent(config.accountSid)}/Messages.json`,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${config.accountSid}:${config.authToken}`, 'utf8').toString('base64')}`,
    },
    body: form.toString(),
  };
}

/** The outcome of a Twilio answer: the Message SID on 2xx, else Twilio's error code and message. */
export function twilioOutcome(answer: PlatformAnswer, now: Date): SendOutcome {
  const json = jsonOf(answer.text);
  if (isSuccess(answer.status)) {
    const sid = textField(json, 'sid');
    return { status: 'sent', ...(sid ? { platformMessageId: sid } : {}) };
  }
  const code = textField(json, 'code') ?? `http_${answer.status}`;
  return httpFailure(answer, code, textField(json, 'message') ?? `Twilio answered ${answer.status}.`, now);
}

/** The Twilio SMS reply adapter (source `twilio`: the caller's number is the item's customer id). */
export function createTwilioReplySender(config: TwilioReplyConfig, http: ReplyHttpOptions): PlatformReplySender {
  return {
    sources: ['twilio'],
    configured: () => Boolean(config.accountSid && config.authToken && config.from),
    async send(reply: OutboundReply) {
      const { accountSid, authToken, from } = config;
      if (!accountSid || !authToken || !from) return notConfigured('SMS replies need REDRESS_TWILIO_ACCOUNT_SID, REDRESS_TWILIO_AUTH_TOKEN and REDRESS_TWILIO_FROM.');
      const to = reply.recipient.customerId;
      if (!to) return permanent('reply_not_addressable', 'The item does not record the caller’s number.');
      const answer = await callPlatform(http, twilioMessageRequest({ ...config, accountSid, authToken, from }, to, reply.message));
      return 'text' in answer ? twilioOutcome(answer, http.now()) : answer;
    },
  };
}
