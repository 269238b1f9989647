/**
 * A fake of Meta's Graph API for the Send API (Messenger, Instagram) and the WhatsApp Cloud API,
 * checking what Graph checks: the version prefix and path, the Bearer token of the Page or WhatsApp
 * number addressed, the JSON body's shape, `messaging_type` and tag rules, the 24-hour / 7-day windows
 * (from the customer's last message, which the test tells it), text length, and templates. Errors are
 * Graph's `{error:{message, type, code, error_subcode, fbtrace_id}}`.
 *
 * As on WhatsApp, a free-form text outside the 24-hour window is accepted (200 and a wamid) and then
 * fails asynchronously: `statusWebhook()` gives the signed `statuses` delivery that reports it, as it
 * gives `sent`/`delivered`/`read` for any accepted message.
 */
import { createHmac } from 'node:crypto';
import { asObject, FakeServer, hexId, jsonBody, type FakeAnswer, type FakeBehaviour, type RecordedRequest } from './fake-server.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface GraphFakeOptions {
  /** The version the base URL carries, e.g. `v21.0` (REDRESS_META_GRAPH_URL = `${url}/v21.0`). */
  version?: string;
  /** Page id → Page access token. */
  pageTokens?: Record<string, string>;
  /** WhatsApp phone-number ids this business owns, and the system-user token. */
  whatsapp?: { token: string; phoneNumberIds: string[]; templates?: { name: string; language: string }[] };
  now?: () => Date;
}

/** A message Graph accepted. */
export interface AcceptedGraphMessage {
  kind: 'messenger' | 'whatsapp';
  accountId: string;
  id: string;
  body: Record<string, unknown>;
}

/** A status the fake will report for a WhatsApp message. */
interface PendingStatus {
  id: string;
  status: 'sent' | 'delivered' | 'read' | 'failed';
  recipientId: string;
  phoneNumberId: string;
  timestamp: number;
  errors?: { code: number; title: string; message: string; error_data: { details: string } }[];
}

const graphError = (status: number, code: number, message: string, extra: Record<string, unknown> = {}): FakeAnswer => ({
  status,
  body: { error: { message, type: 'OAuthException', code, ...extra, fbtrace_id: `A${hexId(22)}` } },
});

/** The Graph fake: start it, point REDRESS_META_GRAPH_URL at `graphUrl`. */
export class GraphApiFake extends FakeServer {
  readonly accepted: AcceptedGraphMessage[] = [];
  /** Customer id (PSID/IGSID/wa_id) → when they last wrote: the windows count from it. */
  readonly lastCustomerMessage = new Map<string, Date>();
  private readonly pending: PendingStatus[] = [];

  constructor(private readonly options: GraphFakeOptions) {
    const self: { fake?: GraphApiFake } = {};
    const behaviour: FakeBehaviour = {
      handle: (req) => self.fake!.answer(req),
      failure: (failure) => {
        if (failure.kind === 'server_error') return graphError(500, 2, 'Service temporarily unavailable', { is_transient: true });
        if (failure.kind === 'rate_limited') return { ...graphError(429, 4, '(#4) Application request limit reached', { is_transient: true }), headers: { 'retry-after': String(failure.retryAfterSeconds ?? 1) } };
        return graphError(400, 100, '(#100) The parameter recipient is required', { error_subcode: 2018001 });
      },
    };
    super(behaviour);
    self.fake = this;
  }

  /** The base URL with the version, for REDRESS_META_GRAPH_URL. */
  get graphUrl(): string {
    return `${this.url}/${this.options.version ?? 'v21.0'}`;
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  private answer(req: RecordedRequest): FakeAnswer {
    const match = new RegExp(`^/${(this.options.version ?? 'v21.0').replace('.', '\\.')}/([^/]+)/messages$`).exec(req.path);
    if (req.method !== 'POST' || !match) return graphError(400, 100, `(#100) Unsupported ${req.method} request.`);
    const accountId = decodeURIComponent(match[1]!);
    if (!/^application\/json\b/.test(req.headers['content-type'] ?? '')) return graphError(400, 100, '(#100) Content-Type must be application/json here');
    const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!token) return graphError(400, 2500, 'An active access token must be used to query information about the current user.');
    const body = asObject(jsonBody(req));
    if (!body) return graphError(400, 100, '(#100) The request body is not JSON.');
    if (this.options.pageTokens?.[accountId] !== undefined) {
      if (token !== this.options.pageTokens[accountId]) return graphError(400, 190, 'Invalid OAuth access token - Cannot parse access token');
      return this.sendApi(accountId, body);
    }
    if (this.options.whatsapp?.phoneNumberIds.includes(accountId)) {
      if (token !== this.options.whatsapp.token) return graphError(401, 190, 'Invalid OAuth access token - Cannot parse access token');
      return this.whatsApp(accountId, body);
    }
    return graphError(400, 100, `(#100) Unsupported post request. Object with ID '${accountId}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`, { error_subcode: 33 });
  }

  /** The Send API's checks (Messenger, Instagram through the linked Page). */
  private sendApi(pageId: string, body: Record<string, unknown>): FakeAnswer {
    const recipient = asObject(body.recipient);
    const message = asObject(body.message);
    const text = message?.text;
    if (typeof text !== 'string' || text.length === 0) return graphError(400, 100, '(#100) Param message[text] must be a non-empty UTF-8 encoded string');
    if ([...text].length > 2000) return graphError(400, 100, '(#100) Length of param message[text] must be less than or equal to 2000');
    if (typeof recipient?.comment_id === 'string') {
      if (body.tag !== undefined) return graphError(400, 100, '(#100) Tags are not allowed for private replies');
      return this.acceptMessenger(pageId, body, { recipient_id: `igsid_for_${recipient.comment_id}` });
    }
    if (typeof recipient?.id !== 'string') return graphError(400, 100, '(#100) The parameter recipient is required');
    const type = body.messaging_type;
    if (type !== 'RESPONSE' && type !== 'UPDATE' && type !== 'MESSAGE_TAG') return graphError(400, 100, '(#100) Param messaging_type must be one of {RESPONSE, UPDATE, MESSAGE_TAG}');
    if (type === 'MESSAGE_TAG' && body.tag !== 'HUMAN_AGENT' && body.tag !== 'CONFIRMED_EVENT_UPDATE' && body.tag !== 'POST_PURCHASE_UPDATE' && body.tag !== 'ACCOUNT_UPDATE') {
      return graphError(400, 100, '(#100) Param tag must be a valid message tag');
    }
    if (type !== 'MESSAGE_TAG' && body.tag !== undefined) return graphError(400, 100, '(#100) Param tag requires messaging_type MESSAGE_TAG');
    const last = this.lastCustomerMessage.get(recipient.id);
    const elapsed = last ? this.now().getTime() - last.getTime() : Infinity;
    const limit = type === 'MESSAGE_TAG' && body.tag === 'HUMAN_AGENT' ? 7 * DAY_MS : DAY_MS;
    if (elapsed >= limit) return graphError(400, 10, '(#10) This message is sent outside of allowed window.', { error_subcode: 2018278 });
    return this.acceptMessenger(pageId, body, { recipient_id: recipient.id });
  }

  private acceptMessenger(pageId: string, body: Record<string, unknown>, answer: Record<string, unknown>): FakeAnswer {
    const id = `m_${hexId(40)}`;
    this.accepted.push({ kind: 'messenger', accountId: pageId, id, body });
    return { status: 200, body: { ...answer, message_id: id } };
  }

  /** The Cloud API's checks for text and template messages. */
  private whatsApp(phoneNumberId: string, body: Record<string, unknown>): FakeAnswer {
    if (body.messaging_product !== 'whatsapp') return graphError(400, 100, '(#100) The parameter messaging_product is required.');
    if (body.recipient_type !== undefined && body.recipient_type !== 'individual') return graphError(400, 100, '(#100) Param recipient_type must be one of {INDIVIDUAL, GROUP}');
    const to = body.to;
    if (typeof to !== 'string' || !/^\+?\d{6,15}$/.test(to)) return graphError(400, 131009, '(#131009) Parameter value is not valid', { error_data: { messaging_product: 'whatsapp', details: 'Invalid recipient phone number' } });
    const last = this.lastCustomerMessage.get(to);
    const inWindow = last !== undefined && this.now().getTime() - last.getTime() < DAY_MS;
    if (body.type === 'text') {
      const text = asObject(body.text)?.body;
      if (typeof text !== 'string' || !text.trim()) return graphError(400, 100, '(#100) The parameter text[\'body\'] is required.');
      if ([...text].length > 4096) return graphError(400, 100, '(#100) Param text[\'body\'] must be at most 4096 characters long.');
      return this.acceptWhatsApp(phoneNumberId, to, body, inWindow ? undefined : 131047);
    }
    if (body.type === 'template') {
      const template = asObject(body.template);
      const language = asObject(template?.language)?.code;
      const known = this.options.whatsapp?.templates?.find((t) => t.name === template?.name && t.language === language);
      if (!known) return graphError(404, 132001, '(#132001) Template name does not exist in the translation', { error_data: { messaging_product: 'whatsapp', details: `template name (${String(template?.name)}) does not exist in ${String(language)}` } });
      const components = Array.isArray(template?.components) ? template.components.map(asObject) : [];
      const bodyComponent = components.find((c) => c?.type === 'body');
      const params = Array.isArray(bodyComponent?.parameters) ? bodyComponent.parameters.map(asObject) : [];
      const first = params[0];
      if (params.length !== 1 || first?.type !== 'text' || typeof first.text !== 'string') {
        return graphError(400, 132000, '(#132000) Number of parameters does not match the expected number of params', { error_data: { messaging_product: 'whatsapp', details: 'body: number of localizable_params (1) does not match the expected number of params' } });
      }
      if (/[\n\t]| {5,}/.test(first.text)) return graphError(400, 132018, '(#132018) There was an issue with the parameters in your template.', { error_data: { messaging_product: 'whatsapp', details: 'Param text cannot have new-line/tab characters or more than 4 consecutive spaces' } });
      return this.acceptWhatsApp(phoneNumberId, to, body);
    }
    return graphError(400, 100, `(#100) Param type must be one of the supported message types; got ${String(body.type)}`);
  }

  private acceptWhatsApp(phoneNumberId: string, to: string, body: Record<string, unknown>, failWith?: number): FakeAnswer {
    const id = `wamid.${Buffer.from(hexId(32)).toString('base64')}`;
    this.accepted.push({ kind: 'whatsapp', accountId: phoneNumberId, id, body });
    const timestamp = Math.floor(this.now().getTime() / 1000);
    if (failWith === 131047) {
      const details = 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.';
      this.pending.push({ id, status: 'failed', recipientId: to, phoneNumberId, timestamp, errors: [{ code: 131047, title: 'Re-engagement message', message: 'Re-engagement message', error_data: { details } }] });
    } else {
      this.pending.push({ id, status: 'sent', recipientId: to, phoneNumberId, timestamp });
    }
    return { status: 200, body: { messaging_product: 'whatsapp', contacts: [{ input: to, wa_id: to }], messages: [{ id }] } };
  }

  /** Marks an accepted WhatsApp message as delivered or read (reported by the next statusWebhook). */
  reportWhatsAppStatus(id: string, status: 'delivered' | 'read'): void {
    const sent = this.accepted.find((m) => m.id === id && m.kind === 'whatsapp');
    if (!sent) throw new Error(`no accepted WhatsApp message ${id}`);
    this.pending.push({ id, status, recipientId: String(sent.body.to), phoneNumberId: sent.accountId, timestamp: Math.floor(this.now().getTime() / 1000) });
  }

  /**
   * The pending WhatsApp statuses as the signed webhook Meta would POST to /webhooks/meta (then
   * forgotten): body and `X-Hub-Signature-256` with `appSecret`. Undefined when nothing is pending.
   */
  statusWebhook(appSecret: string): { body: string; headers: Record<string, string> } | undefined {
    if (!this.pending.length) return undefined;
    const statuses = this.pending.splice(0).map((s) => ({
      id: s.id,
      status: s.status,
      timestamp: String(s.timestamp),
      recipient_id: s.recipientId,
      ...(s.errors ? { errors: s.errors } : {}),
    }));
    const phoneNumberId = this.options.whatsapp?.phoneNumberIds[0] ?? '';
    const body = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [{ id: 'waba-fake', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550783881', phone_number_id: phoneNumberId }, statuses } }] }],
    });
    const signature = `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`;
    return { body, headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature } };
  }

  /**
   * A Messenger receipt as the signed webhook Meta POSTs to /webhooks/meta: `message_deliveries` or
   * `message_reads` from the customer `psid` to `pageId`, naming no message, only a `watermark` (every
   * message sent to the customer before it is delivered, or read).
   */
  receiptWebhook(appSecret: string, receipt: { pageId: string; psid: string; kind: 'delivery' | 'read'; watermark: Date }): { body: string; headers: Record<string, string> } {
    const watermark = receipt.watermark.getTime();
    const event = { sender: { id: receipt.psid }, recipient: { id: receipt.pageId }, timestamp: watermark + 250, [receipt.kind]: { watermark } };
    const body = JSON.stringify({ object: 'page', entry: [{ id: receipt.pageId, time: watermark + 300, messaging: [event] }] });
    const signature = `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`;
    return { body, headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature } };
  }
}
