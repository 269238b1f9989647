/**
 * Replies as WeChat customer-service messages (客服消息), beside the WeChat webhook adapter (wechat.ts):
 * an access token from `GET {REDRESS_WECHAT_API_URL}/cgi-bin/token?grant_type=client_credential&appid=&secret=`,
 * kept until shortly before `expires_in` runs out, then `POST /cgi-bin/message/custom/send?access_token=`
 * `{touser, msgtype:"text", text:{content}}`. WeChat answers HTTP 200 with `errcode` (0 = sent; no
 * message id). A token WeChat no longer takes (40001 invalid, 42001 expired, 40014) is fetched again
 * once and the send repeated; still refused, the reply is a transient failure.
 *
 * The token is per container. Every fetch of a new token retires the previous one after about five
 * minutes, so containers fetching in turn see an occasional 40001, which the one refresh absorbs.
 */
import { secretList } from '../config.ts';
import type { OutboundReply, SendOutcome } from '../ports/reply-sender.ts';
import {
  baseUrl,
  callPlatform,
  httpFailure,
  jsonOf,
  notConfigured,
  permanent,
  textField,
  transient,
  type PlatformAnswer,
  type PlatformReplySender,
  type PlatformRequest,
  type ReplyHttpOptions,
  type PlatformFailure,
} from './reply-http.ts';

export const DEFAULT_WECHAT_API_URL = 'https://api.weixin.qq.com';

/** What the WeChat reply adapter reads from the environment. */
export interface WechatReplyConfig {
  apiUrl: string;
  appId?: string;
  appSecret?: string;
}

/** The WeChat reply configuration (`REDRESS_WECHAT_APP_ID`, the first of `REDRESS_WECHAT_APP_SECRET`). */
export function wechatReplyConfig(env: NodeJS.ProcessEnv): WechatReplyConfig {
  const appId = env.REDRESS_WECHAT_APP_ID?.trim();
  const appSecret = secretList(env.REDRESS_WECHAT_APP_SECRET)[0];
  return { apiUrl: baseUrl(env.REDRESS_WECHAT_API_URL, DEFAULT_WECHAT_API_URL), ...(appId ? { appId } : {}), ...(appSecret ? { appSecret } : {}) };
}

/** Codes that mean the access token is no longer taken: fetch a new one and try once more. */
const TOKEN_ERRCODES: ReadonlySet<string> = new Set(['40001', '40014', '42001']);
/** Codes that mean "later": system busy, and the frequency and quota limits. */
const TRANSIENT_ERRCODES: ReadonlySet<string> = new Set(['-1', '45009', '45011', '45033']);

/** The token request (the secret travels in the query string, as WeChat requires; never logged). */
export function wechatTokenRequest(apiUrl: string, appId: string, appSecret: string): PlatformRequest {
  const query = new URLSearchParams({ grant_type: 'client_credential', appid: appId, secret: appSecret });
  return { method: 'GET', url: `${apiUrl}/cgi-bin/token?${query}`, headers: { accept: 'application/json' } };
}

/** The customer-service text message to `openId`. */
export function wechatCustomSendRequest(apiUrl: string, accessToken: string, openId: string, content: string): PlatformRequest {
  return {
    method: 'POST',
    url: `${apiUrl}/cgi-bin/message/custom/send?access_token=${encodeURIComponent(accessToken)}`,
    // WeChat reads the body as UTF-8 JSON; JSON.stringify leaves Chinese unescaped, as its examples show.
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify({ touser: openId, msgtype: 'text', text: { content } }),
  };
}

/** An access token and when this container stops using it. */
interface CachedToken {
  token: string;
  /** Epoch ms: `expires_in` minus a margin (5 minutes, or half the lifetime when that is shorter). */
  useUntil: number;
}

/** A WeChat answer's errcode (0 when absent on a 200) and errmsg. */
function errcodeOf(answer: PlatformAnswer): { errcode: string; errmsg: string; json: unknown } {
  const json = jsonOf(answer.text);
  return { errcode: textField(json, 'errcode') ?? '0', errmsg: textField(json, 'errmsg') ?? `WeChat answered ${answer.status}.`, json };
}

/** The failure a non-zero errcode means (transient for busy and limits, else permanent). */
function errcodeFailure(errcode: string, errmsg: string): PlatformFailure {
  return TRANSIENT_ERRCODES.has(errcode) || TOKEN_ERRCODES.has(errcode) ? transient(errcode, errmsg) : permanent(errcode, errmsg);
}

/** The WeChat reply adapter, with its per-container token cache (one fetch at a time). */
export function createWechatReplySender(config: WechatReplyConfig, http: ReplyHttpOptions): PlatformReplySender {
  let cached: CachedToken | undefined;
  let fetching: Promise<CachedToken | PlatformFailure> | undefined;

  const fetchToken = async (appId: string, appSecret: string): Promise<CachedToken | PlatformFailure> => {
    const answer = await callPlatform(http, wechatTokenRequest(config.apiUrl, appId, appSecret));
    if (!('text' in answer)) return answer;
    if (answer.status !== 200) return httpFailure(answer, `http_${answer.status}`, `The WeChat token endpoint answered ${answer.status}.`, http.now());
    const { errcode, errmsg, json } = errcodeOf(answer);
    const token = textField(json, 'access_token');
    const expiresIn = Number(textField(json, 'expires_in') ?? 7200);
    if (errcode !== '0' || !token) return errcodeFailure(errcode === '0' ? 'no_access_token' : errcode, errmsg);
    const lifetimeS = Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 7200;
    return { token, useUntil: http.now().getTime() + (lifetimeS - Math.min(300, lifetimeS / 2)) * 1000 };
  };

  /** The cached token while it is fresh; else one shared fetch for every send waiting on it. */
  const accessToken = async (appId: string, appSecret: string, refresh: boolean): Promise<CachedToken | PlatformFailure> => {
    if (!refresh && cached && cached.useUntil > http.now().getTime()) return cached;
    fetching ??= fetchToken(appId, appSecret).finally(() => (fetching = undefined));
    const result = await fetching;
    if ('token' in result) cached = result;
    return result;
  };

  const sendWith = async (token: CachedToken, reply: OutboundReply, openId: string): Promise<{ outcome: SendOutcome; tokenRefused: boolean }> => {
    const answer = await callPlatform(http, wechatCustomSendRequest(config.apiUrl, token.token, openId, reply.message));
    if (!('text' in answer)) return { outcome: answer, tokenRefused: false };
    if (answer.status !== 200) return { outcome: httpFailure(answer, `http_${answer.status}`, `WeChat answered ${answer.status}.`, http.now()), tokenRefused: false };
    const { errcode, errmsg } = errcodeOf(answer);
    if (errcode === '0') return { outcome: { status: 'sent' }, tokenRefused: false };
    return { outcome: errcodeFailure(errcode, errmsg), tokenRefused: TOKEN_ERRCODES.has(errcode) };
  };

  return {
    sources: ['wechat'],
    configured: () => config.appId !== undefined && config.appSecret !== undefined,
    async send(reply) {
      const { appId, appSecret } = config;
      if (!appId || !appSecret) return notConfigured('WeChat replies need REDRESS_WECHAT_APP_ID and REDRESS_WECHAT_APP_SECRET.');
      const openId = reply.recipient.customerId;
      if (!openId) return permanent('reply_not_addressable', 'The item does not record the WeChat OpenID that wrote.');
      const token = await accessToken(appId, appSecret, false);
      if (!('token' in token)) return token;
      const first = await sendWith(token, reply, openId);
      if (!first.tokenRefused) return first.outcome;
      // Another container (or an expiry sooner than announced) retired the token: fetch a new one once,
      // unless a concurrent send already did.
      if (cached === token) cached = undefined;
      const fresh = await accessToken(appId, appSecret, cached === undefined);
      if (!('token' in fresh)) return fresh;
      return (await sendWith(fresh, reply, openId)).outcome;
    },
  };
}
