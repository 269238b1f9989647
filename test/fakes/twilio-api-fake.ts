/**
 * A fake of Twilio's Programmable Messaging API, checking what Twilio checks: HTTP Basic
 * AccountSid:AuthToken (20003), the account in the path, a form body with `To` (E.164, 21211), `From`
 * (a number of the account, 21606) or `MessagingServiceSid`, `Body` (1–1,600 characters) and an
 * absolute `StatusCallback`. It answers 201 with a Message resource (`sid` `SM…`, `status: queued`), and
 * builds the signed status callback Twilio would POST for a message it accepted.
 */
import { twilioSignature } from '../../functions/shared/channels/twilio.ts';
import { FakeServer, hexId, type FakeAnswer, type FakeBehaviour, type RecordedRequest } from './fake-server.ts';

export interface TwilioFakeOptions {
  accountSid: string;
  authToken: string;
  /** Numbers (and Messaging Service SIDs) the account may send from. */
  senders: string[];
}

/** A message Twilio accepted. */
export interface AcceptedSms {
  sid: string;
  to: string;
  from: string;
  body: string;
  statusCallback?: string;
}

const twilioError = (status: number, code: number, message: string): FakeAnswer => ({
  status,
  body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status },
});

export class TwilioApiFake extends FakeServer {
  readonly accepted: AcceptedSms[] = [];

  constructor(private readonly options: TwilioFakeOptions) {
    const self: { fake?: TwilioApiFake } = {};
    const behaviour: FakeBehaviour = {
      handle: (req) => self.fake!.answer(req),
      failure: (failure) => {
        if (failure.kind === 'server_error') return twilioError(500, 20500, 'Internal Server Error');
        if (failure.kind === 'rate_limited') return { ...twilioError(429, 20429, 'Too Many Requests'), headers: { 'retry-after': String(failure.retryAfterSeconds ?? 1) } };
        return twilioError(400, 21610, 'Attempt to send to unsubscribed recipient');
      },
    };
    super(behaviour);
    self.fake = this;
  }

  private answer(req: RecordedRequest): FakeAnswer {
    const { accountSid, authToken } = this.options;
    const expected = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
    if (req.headers.authorization !== expected) return twilioError(401, 20003, 'Authenticate');
    if (req.method !== 'POST' || req.path !== `/2010-04-01/Accounts/${accountSid}/Messages.json`) return twilioError(404, 20404, `The requested resource ${req.path} was not found`);
    if (!/^application\/x-www-form-urlencoded\b/.test(req.headers['content-type'] ?? '')) return twilioError(400, 20001, 'Unsupported content type');
    const form = new URLSearchParams(req.body);
    const to = form.get('To') ?? '';
    const from = form.get('From') ?? form.get('MessagingServiceSid') ?? '';
    const body = form.get('Body') ?? '';
    const statusCallback = form.get('StatusCallback') ?? undefined;
    if (!to) return twilioError(400, 21604, "A 'To' phone number is required.");
    if (!/^\+[1-9]\d{6,14}$/.test(to)) return twilioError(400, 21211, `The 'To' number ${to} is not a valid phone number.`);
    if (!from) return twilioError(400, 21603, "A 'From' phone number is required.");
    if (!this.options.senders.includes(from)) return twilioError(400, 21606, `The From phone number ${from} is not a valid, SMS-capable inbound phone number or short code for your account.`);
    if (!body) return twilioError(400, 21602, 'Message body is required.');
    if ([...body].length > 1600) return twilioError(400, 21617, 'The concatenated message body exceeds the 1600 character limit.');
    if (statusCallback !== undefined && !/^https?:\/\/[^/]+/.test(statusCallback)) return twilioError(400, 21609, 'Invalid StatusCallback URL');
    const sid = `SM${hexId(32)}`;
    this.accepted.push({ sid, to, from, body, ...(statusCallback ? { statusCallback } : {}) });
    const now = new Date().toUTCString().replace('GMT', '+0000');
    return {
      status: 201,
      body: {
        account_sid: accountSid, api_version: '2010-04-01', body, date_created: now, date_sent: null, date_updated: now, direction: 'outbound-api',
        error_code: null, error_message: null, from, messaging_service_sid: null, num_media: '0', num_segments: '1', price: null, price_unit: 'USD',
        sid, status: 'queued', to, uri: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}.json`,
      },
    };
  }

  /**
   * The status callback Twilio would POST for an accepted message: its URL (the StatusCallback it was
   * sent with), the form body and `X-Twilio-Signature`, signed with the account's auth token.
   */
  statusCallback(sid: string, status: 'sent' | 'delivered' | 'undelivered' | 'failed', errorCode?: string): { url: string; body: string; headers: Record<string, string> } {
    const sms = this.accepted.find((m) => m.sid === sid);
    if (!sms?.statusCallback) throw new Error(`message ${sid} was not sent with a StatusCallback`);
    const params: [string, string][] = [
      ['AccountSid', this.options.accountSid], ['ApiVersion', '2010-04-01'], ['From', sms.from], ['MessageSid', sid], ['MessageStatus', status],
      ['SmsSid', sid], ['SmsStatus', status], ['To', sms.to], ...(errorCode ? ([['ErrorCode', errorCode]] as [string, string][]) : []),
    ];
    return {
      url: sms.statusCallback,
      body: new URLSearchParams(params).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature(this.options.authToken, sms.statusCallback, params) },
    };
  }
}
