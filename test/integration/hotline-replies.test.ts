/**
 * Hotline replies by SMS end to end on the local stack, against the Twilio fake (which checks each
 * Messages.json request as Twilio does): a complaint left on the hotline (a signed transcription
 * callback) is answered through the admin API by SMS to the caller, with `StatusCallback` on this
 * stack's `/webhooks/hotline/twilio/status`; Twilio's status callbacks, signed as Twilio signs them
 * (X-Twilio-Signature: base64 HMAC-SHA1 with the auth token over the URL and every POST parameter name
 * and value, names sorted; computed here independently of the adapter's own code), move the reply to
 * delivered, or to failed with Twilio's ErrorCode, publishing Reply.Delivered / Reply.Failed without the
 * text. A callback with a wrong signature changes nothing. Nothing here reaches the internet.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signLocalToken } from '../../functions/shared/auth/local-jwt.ts';
import { feedbackId } from '../../functions/shared/ids.ts';
import { TwilioApiFake } from '../fakes/twilio-api-fake.ts';
import { eventually, startTestStack, type TestStack } from '../helpers/local-stack.ts';

const TWILIO = { accountSid: `AC${'7'.repeat(32)}`, authToken: 'hotline-integration-auth-token', senders: ['+15005550006'] };
const twilio = new TwilioApiFake(TWILIO);
let stack: TestStack;
let token: string;

interface ReplyView {
  id: string;
  status: string;
  deliveredAt?: string;
  failedAt?: string;
  platformMessageId?: string;
  error?: { code: string; message: string };
}
interface ItemView {
  status: string;
  replies?: ReplyView[];
}
interface BusEvent {
  'detail-type': string;
  detail: Record<string, unknown>;
}

beforeAll(async () => {
  await twilio.start();
  stack = await startTestStack({
    env: { REDRESS_TWILIO_API_URL: twilio.url, REDRESS_TWILIO_ACCOUNT_SID: TWILIO.accountSid, REDRESS_TWILIO_AUTH_TOKEN: TWILIO.authToken, REDRESS_TWILIO_FROM: '+15005550006' },
  });
  token = await signLocalToken(stack.env.REDRESS_JWT_SECRET!.split(',')[0]!, { sub: 'sup-1', groups: ['supervisor'] });
});
afterAll(async () => {
  await stack?.destroy();
  await twilio.close();
});

/** X-Twilio-Signature as Twilio documents it: base64(HMAC-SHA1(auth token, URL + name1 + value1 + name2 + value2 …)), names sorted. */
function twilioSigned(url: string, params: Array<[string, string]>): string {
  const data = url + [...params].sort(([a, va], [b, vb]) => (a === b ? (va < vb ? -1 : 1) : a < b ? -1 : 1)).map(([k, v]) => k + v).join('');
  return createHmac('sha1', TWILIO.authToken).update(data, 'utf8').digest('base64');
}

async function postTwilio(path: string, params: Array<[string, string]>, signature = twilioSigned(stack.url + path, params)): Promise<Response> {
  return fetch(stack.url + path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature }, body: new URLSearchParams(params).toString() });
}

let counter = 0;
/** A complaint left on the hotline by `caller` (Twilio's transcription callback); resolves the stored item's id. */
async function hotlineComplaint(caller: string): Promise<string> {
  counter++;
  const transcriptionSid = `TR${String(counter).padStart(32, '0')}`;
  const res = await postTwilio('/webhooks/hotline/twilio/transcription?line=cards', [
    ['AccountSid', TWILIO.accountSid], ['CallSid', `CA${String(counter).padStart(32, '0')}`], ['TranscriptionSid', transcriptionSid], ['TranscriptionStatus', 'completed'],
    ['TranscriptionText', 'I want to complain: my card was charged twice and nobody called me back.'], ['From', caller], ['Caller', caller], ['To', '+15005550006'],
  ]);
  expect(res.status).toBe(200);
  const id = feedbackId('twilio', transcriptionSid);
  await eventually(async () => ((await get(id)).status === 'open' ? true : undefined), 20_000);
  return id;
}

async function get(id: string): Promise<ItemView> {
  const res = await fetch(`${stack.url}/admin/complaints/${id}`, { headers: { authorization: `Bearer ${token}` } });
  return (res.status === 200 ? await res.json() : { status: 'missing' }) as ItemView;
}

/** Answers the complaint through the admin API; resolves the reply once Twilio took it (sent) and the SMS Twilio accepted. */
async function answerBySms(id: string, caller: string, message: string) {
  const res = await fetch(`${stack.url}/admin/complaints/${id}/responses`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ message }) });
  expect(res.status).toBe(202);
  const replyId = ((await res.json()) as { reply: { id: string } }).reply.id;
  const reply = await replyIn(id, replyId, 'sent');
  const sms = twilio.accepted.filter((m) => m.to === caller);
  expect(sms).toHaveLength(1);
  return { reply, sms: sms[0]! };
}

const replyIn = (id: string, replyId: string, status: string) =>
  eventually(async () => {
    const reply = (await get(id)).replies?.find((r) => r.id === replyId);
    return reply?.status === status ? reply : undefined;
  }, 20_000);

async function events(id: string): Promise<BusEvent[]> {
  const { items } = (await (await fetch(`${stack.url}/local/events`)).json()) as { items: BusEvent[] };
  return items.filter((e) => e.detail.feedbackId === id);
}

/** The status callback Twilio POSTs for `sms`, as its form parameters. */
const statusParams = (sms: { sid: string; to: string; from: string }, status: string, errorCode?: string): Array<[string, string]> => [
  ['AccountSid', TWILIO.accountSid], ['ApiVersion', '2010-04-01'], ['From', sms.from], ['MessageSid', sms.sid], ['MessageStatus', status],
  ['SmsSid', sms.sid], ['SmsStatus', status], ['To', sms.to], ...(errorCode ? ([['ErrorCode', errorCode]] as Array<[string, string]>) : []),
];

describe('hotline replies by SMS: Twilio status callbacks', () => {
  it('a delivered callback marks the sent reply delivered and publishes Reply.Delivered without the text; a badly signed one changes nothing', async () => {
    // Prepare
    const caller = '+447700900301';
    const id = await hotlineComplaint(caller);
    const { reply, sms } = await answerBySms(id, caller, 'We are sorry: the second charge is refunded today.');
    expect(sms).toMatchObject({ from: '+15005550006', body: 'We are sorry: the second charge is refunded today.', statusCallback: `${stack.url}/webhooks/hotline/twilio/status` });
    expect(reply.platformMessageId).toBe(sms.sid);
    const path = new URL(sms.statusCallback!).pathname;

    // Act: a forged callback (signed with another token), then Twilio's own
    const forged = await postTwilio(path, statusParams(sms, 'undelivered', '30003'), createHmac('sha1', 'not-the-token').update(sms.statusCallback!).digest('base64'));
    const sent = await postTwilio(path, statusParams(sms, 'sent'));
    const delivered = await postTwilio(path, statusParams(sms, 'delivered'));

    // Assess
    expect(forged.status).toBe(403);
    expect([sent.status, delivered.status]).toEqual([200, 200]);
    expect(await delivered.text()).toContain('<Response>');
    const after = await replyIn(id, reply.id, 'delivered');
    expect(after.deliveredAt).toEqual(expect.any(String));
    expect(after.error).toBeUndefined();
    const published = await eventually(async () => {
      const found = (await events(id)).filter((e) => e['detail-type'] === 'Reply.Delivered');
      return found.length ? found : undefined;
    });
    expect(published).toHaveLength(1);
    expect(published[0]!.detail).toMatchObject({ replyId: reply.id, status: 'delivered', source: 'twilio', channel: 'hotline' });
    expect(JSON.stringify(await events(id))).not.toContain('refunded today');
  }, 60_000);

  it('an undelivered callback fails the sent reply with Twilio\'s ErrorCode and publishes Reply.Failed without the text; a late delivered callback does not revive it', async () => {
    // Prepare
    const caller = '+447700900302';
    const id = await hotlineComplaint(caller);
    const { reply, sms } = await answerBySms(id, caller, 'Please call us back about the refund.');

    // Act
    const res = await postTwilio(new URL(sms.statusCallback!).pathname, statusParams(sms, 'undelivered', '30003'));

    // Assess
    expect(res.status).toBe(200);
    const failed = await replyIn(id, reply.id, 'failed');
    expect(failed.error).toEqual({ code: '30003', message: 'Unreachable destination handset' });
    const event = await eventually(async () => (await events(id)).find((e) => e['detail-type'] === 'Reply.Failed'));
    expect(event.detail).toMatchObject({ replyId: reply.id, status: 'failed', errorCode: '30003', source: 'twilio', channel: 'hotline' });
    expect(JSON.stringify(await events(id))).not.toContain('call us back');
    // A late delivered callback does not bring a failed reply back.
    expect((await postTwilio(new URL(sms.statusCallback!).pathname, statusParams(sms, 'delivered'))).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1_500));
    expect((await get(id)).replies!.find((r) => r.id === reply.id)!.status).toBe('failed');
  }, 60_000);
});
