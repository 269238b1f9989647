/**
 * Replies through Meta's Graph API, beside the Meta webhook adapter (meta.ts):
 * - Messenger and Instagram: the Send API, `POST {graph}/{page-id}/messages`
 *   `{recipient:{id}, messaging_type, message:{text}}` (+ `tag: HUMAN_AGENT` with `MESSAGE_TAG` after
 *   24 h; `recipient:{comment_id}` for a private reply to an Instagram comment), with the token of the
 *   Page that received the message (Instagram: the Page linked to the Instagram account);
 * - WhatsApp Cloud API: `POST {graph}/{phone-number-id}/messages` from the number that received the
 *   message: text within the 24-hour window, else the configured template with the message as its one
 *   body parameter.
 * Graph errors are `{error:{message, type, code, error_subcode, error_data:{details}, is_transient}}`.
 */
import type { Source } from '../../../schemas/feedback.ts';
import { secretList } from '../config.ts';
import type { OutboundReply, SendOutcome } from '../ports/reply-sender.ts';
import {
  baseUrl,
  callPlatform,
  field,
  httpFailure,
  isSuccess,
  jsonOf,
  notConfigured,
  permanent,
  retryAfterMs,
  textField,
  transient,
  type PlatformAnswer,
  type PlatformReplySender,
  type PlatformRequest,
  type ReplyHttpOptions,
} from './reply-http.ts';

export const DEFAULT_META_GRAPH_URL = 'https://graph.facebook.com/v21.0';

/** A WhatsApp template from `REDRESS_WHATSAPP_TEMPLATE=name:language` (e.g. `complaint_reply:zh_CN`). */
export interface WhatsAppTemplate {
  name: string;
  language: string;
}

/** What the Meta reply adapter reads from the environment. */
export interface MetaReplyConfig {
  graphUrl: string;
  /** Page id → Page access token (`REDRESS_META_PAGE_TOKENS=pageId=token,…`). */
  pageTokens: ReadonlyMap<string, string>;
  /** Instagram account id → the id of the Page linked to it (`REDRESS_META_INSTAGRAM_PAGES=igId=pageId,…`). */
  instagramPages: ReadonlyMap<string, string>;
  /** `REDRESS_WHATSAPP_TOKEN` (the first value of the list). */
  whatsappToken?: string;
  whatsappTemplate?: WhatsAppTemplate;
}

/** Reads `id=value,id=value` lists: Meta ids and tokens contain neither `,` nor `=`. Blank or malformed entries are skipped. */
export function parsePairs(value: string | undefined): Map<string, string> {
  const pairs = new Map<string, string>();
  for (const entry of secretList(value)) {
    const at = entry.indexOf('=');
    const key = entry.slice(0, at).trim();
    const val = entry.slice(at + 1).trim();
    if (at > 0 && key && val && !pairs.has(key)) pairs.set(key, val);
  }
  return pairs;
}

/** `name:language` → the template, or undefined when unset or malformed (a name and a language are both needed). */
export function parseWhatsAppTemplate(value: string | undefined): WhatsAppTemplate | undefined {
  const match = /^\s*([a-z0-9_]+):([A-Za-z]{2,3}(?:_[A-Za-z]{2,4})?)\s*$/.exec(value ?? '');
  return match ? { name: match[1]!, language: match[2]! } : undefined;
}

/** The Meta reply configuration from the environment. */
export function metaReplyConfig(env: NodeJS.ProcessEnv): MetaReplyConfig {
  const whatsappToken = secretList(env.REDRESS_WHATSAPP_TOKEN)[0];
  const whatsappTemplate = parseWhatsAppTemplate(env.REDRESS_WHATSAPP_TEMPLATE);
  return {
    graphUrl: baseUrl(env.REDRESS_META_GRAPH_URL, DEFAULT_META_GRAPH_URL),
    pageTokens: parsePairs(env.REDRESS_META_PAGE_TOKENS),
    instagramPages: parsePairs(env.REDRESS_META_INSTAGRAM_PAGES),
    ...(whatsappToken ? { whatsappToken } : {}),
    ...(whatsappTemplate ? { whatsappTemplate } : {}),
  };
}

/**
 * The Send API request for a Messenger or Instagram reply through `pageId`. `response` and
 * `human_agent` answer the customer's PSID/IGSID; `private_reply` answers an Instagram comment.
 */
export function messengerSendRequest(graphUrl: string, pageId: string, pageToken: string, reply: OutboundReply): PlatformRequest | undefined {
  const { customerId, commentId } = reply.recipient;
  let body: Record<string, unknown>;
  if (reply.mode === 'private_reply' && commentId) body = { recipient: { comment_id: commentId }, message: { text: reply.message } };
  else if (reply.mode === 'response' && customerId) body = { recipient: { id: customerId }, messaging_type: 'RESPONSE', message: { text: reply.message } };
  else if (reply.mode === 'human_agent' && customerId) body = { recipient: { id: customerId }, messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT', message: { text: reply.message } };
  else return undefined;
  return {
    method: 'POST',
    url: `${graphUrl}/${encodeURIComponent(pageId)}/messages`,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${pageToken}` },
    body: JSON.stringify(body),
  };
}

/**
 * WhatsApp refuses template parameters with new lines, tabs or more than four spaces in a row: the
 * message is sent on one line, with runs of white space as one space.
 */
export function templateParameterText(message: string): string {
  return message.replace(/\s+/g, ' ').trim();
}

/** The Cloud API request for a WhatsApp reply from `phoneNumberId`: text (`free_form`) or the template (`template`). */
export function whatsAppSendRequest(graphUrl: string, phoneNumberId: string, token: string, reply: OutboundReply, template?: WhatsAppTemplate): PlatformRequest | undefined {
  const to = reply.recipient.customerId;
  if (!to) return undefined;
  const envelope = { messaging_product: 'whatsapp', recipient_type: 'individual', to };
  let body: Record<string, unknown>;
  if (reply.mode === 'free_form') body = { ...envelope, type: 'text', text: { body: reply.message } };
  else if (reply.mode === 'template' && template) {
    body = {
      ...envelope,
      type: 'template',
      template: { name: template.name, language: { code: template.language }, components: [{ type: 'body', parameters: [{ type: 'text', text: templateParameterText(reply.message) }] }] },
    };
  } else return undefined;
  return {
    method: 'POST',
    url: `${graphUrl}/${encodeURIComponent(phoneNumberId)}/messages`,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  };
}

/**
 * Graph error codes that mean "later": temporary or unknown errors, rate limits (app, user, Page,
 * Messenger), and WhatsApp's throughput, pair-rate and service-unavailable errors.
 */
const TRANSIENT_GRAPH_CODES: ReadonlySet<string> = new Set(['1', '2', '4', '17', '32', '341', '613', '80006', '130429', '131000', '131016', '131056', '133004']);

/** The outcome of a Graph answer: the message id on 2xx, else the Graph error, transient or permanent. */
export function graphOutcome(answer: PlatformAnswer, now: Date): SendOutcome {
  const json = jsonOf(answer.text);
  if (isSuccess(answer.status)) {
    // Messenger answers {recipient_id, message_id}; WhatsApp {messages:[{id}]}.
    const messages = field(json, 'messages');
    const id = textField(json, 'message_id') ?? (Array.isArray(messages) ? textField(messages[0], 'id') : undefined);
    return { status: 'sent', ...(id ? { platformMessageId: id } : {}) };
  }
  const error = field(json, 'error');
  const code = textField(error, 'code') ?? `http_${answer.status}`;
  const message = textField(field(error, 'error_data'), 'details') ?? textField(error, 'message') ?? `Graph API answered ${answer.status}.`;
  if (field(error, 'is_transient') === true || TRANSIENT_GRAPH_CODES.has(code)) {
    return transient(code, message, retryAfterMs(answer.headers, now));
  }
  return httpFailure(answer, code, message, now);
}

/** The Meta reply adapter (Messenger, Instagram, WhatsApp). */
export function createMetaReplySender(config: MetaReplyConfig, http: ReplyHttpOptions): PlatformReplySender {
  const sendVia = async (request: PlatformRequest | undefined, reply: OutboundReply): Promise<SendOutcome> => {
    if (!request) return permanent('reply_not_addressable', `A ${reply.source} reply in mode ${reply.mode} needs a recipient the item does not have.`);
    const answer = await callPlatform(http, request);
    return 'text' in answer ? graphOutcome(answer, http.now()) : answer;
  };
  return {
    sources: ['messenger', 'instagram', 'whatsapp'] satisfies Source[],
    configured: (source) => (source === 'whatsapp' ? config.whatsappToken !== undefined : config.pageTokens.size > 0),
    async send(reply) {
      const accountId = reply.recipient.accountId;
      if (reply.source === 'whatsapp') {
        if (!config.whatsappToken) return notConfigured('WhatsApp replies need REDRESS_WHATSAPP_TOKEN.');
        if (!accountId) return permanent('reply_not_addressable', 'The item does not record the WhatsApp phone-number id that received it.');
        return sendVia(whatsAppSendRequest(config.graphUrl, accountId, config.whatsappToken, reply, config.whatsappTemplate), reply);
      }
      if (!accountId) return permanent('reply_not_addressable', `The item does not record the ${reply.source === 'instagram' ? 'Instagram account' : 'Page'} that received it.`);
      const pageId = reply.source === 'instagram' ? (config.instagramPages.get(accountId) ?? accountId) : accountId;
      const token = config.pageTokens.get(pageId);
      if (!token) return notConfigured(`No Page access token for Page ${pageId} in REDRESS_META_PAGE_TOKENS.`);
      return sendVia(messengerSendRequest(config.graphUrl, pageId, token, reply), reply);
    },
  };
}
