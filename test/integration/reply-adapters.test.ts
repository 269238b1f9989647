/**
 * Every reply adapter, through the router, against a local fake of its platform that checks each
 * request as the platform does (auth, path, body, signature, windows), including transient and
 * permanent failures, token refresh, and the status reports that come back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetaAdapter } from '../../functions/shared/channels/meta.ts';
import { createReplySender, outboundReplyFor } from '../../functions/shared/channels/reply-router.ts';
import { channelRequest } from '../../functions/shared/channels/test-request.ts';
import { createTwilioAdapter } from '../../functions/shared/channels/twilio.ts';
import type { OutboundReply, ReplyRouter } from '../../functions/shared/ports/reply-sender.ts';
import { GraphApiFake } from '../fakes/graph-api-fake.ts';
import { StandardWebhooksReceiver } from '../fakes/standard-webhooks-receiver.ts';
import { TwilioApiFake } from '../fakes/twilio-api-fake.ts';
import { WechatApiFake } from '../fakes/wechat-api-fake.ts';
import { XApiFake } from '../fakes/x-api-fake.ts';

const HOUR = 60 * 60 * 1000;
const TIMEOUT_MS = 300;
const ago = (ms: number) => new Date(Date.now() - ms);

const PAGE = '104350012345678';
const IG_ACCOUNT = '17841401234567890';
const PSID = '7012345678901234';
const PHONE_NUMBER_ID = '106540352242922';
const WA_ID = '16505551234';
const META_APP_SECRET = 'integration-meta-app-secret';

const graph = new GraphApiFake({
  pageTokens: { [PAGE]: 'EAAGpage-token' },
  whatsapp: { token: 'EAAGsystem-user-token', phoneNumberIds: [PHONE_NUMBER_ID], templates: [{ name: 'complaint_reply', language: 'en_US' }] },
});
const X_CREDENTIALS = { consumerKey: 'x-consumer-key', consumerSecret: 'x-consumer-secret', accessToken: '1000-bank-access-token', accessTokenSecret: 'x-access-token-secret' };
const x = new XApiFake(X_CREDENTIALS);
const wechat = new WechatApiFake({ appId: 'wx0000000000000001', appSecret: 'wechat-app-secret' });
const TWILIO = { accountSid: `AC${'1'.repeat(32)}`, authToken: 'twilio-auth-token', senders: ['+15005550006'] };
const twilio = new TwilioApiFake(TWILIO);
const WEB_SECRET = 'whsec_cmVkcmVzcy1pbnRlZ3JhdGlvbi13ZWItc2VjcmV0';
const backEnd = new StandardWebhooksReceiver([WEB_SECRET]);
const fakes = [graph, x, wechat, twilio, backEnd];

let router: ReplyRouter;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  await Promise.all(fakes.map((f) => f.start()));
  env = {
    REDRESS_META_GRAPH_URL: graph.graphUrl,
    REDRESS_META_PAGE_TOKENS: `${PAGE}=EAAGpage-token`,
    REDRESS_META_INSTAGRAM_PAGES: `${IG_ACCOUNT}=${PAGE}`,
    REDRESS_WHATSAPP_TOKEN: 'EAAGsystem-user-token',
    REDRESS_WHATSAPP_TEMPLATE: 'complaint_reply:en_US',
    REDRESS_X_API_URL: x.url,
    REDRESS_X_CONSUMER_KEY: X_CREDENTIALS.consumerKey,
    REDRESS_X_CONSUMER_SECRET: `${X_CREDENTIALS.consumerSecret},previous-secret`,
    REDRESS_X_ACCESS_TOKEN: X_CREDENTIALS.accessToken,
    REDRESS_X_ACCESS_TOKEN_SECRET: X_CREDENTIALS.accessTokenSecret,
    REDRESS_WECHAT_API_URL: wechat.url,
    REDRESS_WECHAT_APP_ID: 'wx0000000000000001',
    REDRESS_WECHAT_APP_SECRET: 'wechat-app-secret',
    REDRESS_TWILIO_API_URL: twilio.url,
    REDRESS_TWILIO_ACCOUNT_SID: TWILIO.accountSid,
    REDRESS_TWILIO_AUTH_TOKEN: TWILIO.authToken,
    REDRESS_TWILIO_FROM: '+15005550006',
    REDRESS_PUBLIC_URL: 'https://api.example-bank.com',
    REDRESS_WEB_REPLY_URL: `${backEnd.url}/redress/replies`,
    REDRESS_WEB_SECRET: WEB_SECRET,
  };
  router = createReplySender(env, { timeoutMs: TIMEOUT_MS });
});

afterAll(async () => {
  await Promise.all(fakes.map((f) => f.close()));
});

let counter = 0;
const reply = (over: Partial<OutboundReply> & Pick<OutboundReply, 'source' | 'recipient' | 'mode'>): OutboundReply => ({
  replyId: `rp_${++counter}`,
  feedbackId: `fb_${counter}`,
  externalId: `ext_${counter}`,
  message: 'We have reversed the fee. 费用已退回。',
  language: 'en',
  ...over,
});

describe('Messenger and Instagram through the Graph fake', () => {
  it('sends a RESPONSE through the Page that received the message, with its token', async () => {
    graph.lastCustomerMessage.set(PSID, ago(1 * HOUR));
    const outcome = await router.send(reply({ source: 'messenger', mode: 'response', recipient: { customerId: PSID, accountId: PAGE } }));
    expect(outcome).toEqual({ status: 'sent', platformMessageId: graph.accepted.at(-1)?.id });
    expect(graph.accepted.at(-1)).toMatchObject({ kind: 'messenger', accountId: PAGE, body: { recipient: { id: PSID }, messaging_type: 'RESPONSE' } });
  });

  it('sends with HUMAN_AGENT after 24 h, and the platform refuses a RESPONSE then', async () => {
    graph.lastCustomerMessage.set(PSID, ago(30 * HOUR));
    const tagged = await router.send(reply({ source: 'messenger', mode: 'human_agent', recipient: { customerId: PSID, accountId: PAGE } }));
    const untagged = await router.send(reply({ source: 'messenger', mode: 'response', recipient: { customerId: PSID, accountId: PAGE } }));
    expect(tagged.status).toBe('sent');
    expect(untagged).toEqual({ status: 'permanent', code: '10', message: '(#10) This message is sent outside of allowed window.' });
  });

  it('answers Instagram through the Page linked to the Instagram account, and a comment by private reply', async () => {
    graph.lastCustomerMessage.set('igsid-1', ago(HOUR));
    const dm = await router.send(reply({ source: 'instagram', mode: 'response', recipient: { customerId: 'igsid-1', accountId: IG_ACCOUNT } }));
    const comment = await router.send(reply({ source: 'instagram', mode: 'private_reply', recipient: { customerId: 'igsid-2', accountId: IG_ACCOUNT, commentId: '17865432109876543' } }));
    expect([dm.status, comment.status]).toEqual(['sent', 'sent']);
    expect(graph.accepted.at(-1)).toMatchObject({ accountId: PAGE, body: { recipient: { comment_id: '17865432109876543' } } });
  });

  it('answers not_configured for a Page without a token, and sends nothing', async () => {
    const before = graph.requests.length;
    const outcome = await router.send(reply({ source: 'messenger', mode: 'response', recipient: { customerId: PSID, accountId: '999' } }));
    expect(outcome).toMatchObject({ status: 'not_configured', code: 'reply_channel_not_configured' });
    expect(graph.requests.length).toBe(before);
  });

  it('fails permanently with Graph’s 190 when the configured token is wrong', async () => {
    const wrong = createReplySender({ ...env, REDRESS_META_PAGE_TOKENS: `${PAGE}=EAAGstale` }, { timeoutMs: TIMEOUT_MS });
    const outcome = await wrong.send(reply({ source: 'messenger', mode: 'response', recipient: { customerId: PSID, accountId: PAGE } }));
    expect(outcome).toMatchObject({ status: 'permanent', code: '190' });
  });

  it('is transient on a 500, a 429 (with Retry-After) and a hang; permanent on a 400', async () => {
    graph.lastCustomerMessage.set(PSID, ago(HOUR));
    const send = () => router.send(reply({ source: 'messenger', mode: 'response', recipient: { customerId: PSID, accountId: PAGE } }));
    graph.failNext({ kind: 'server_error' }, { kind: 'rate_limited', retryAfterSeconds: 2 }, { kind: 'hang' }, { kind: 'permanent' });
    const outcomes = [await send(), await send(), await send(), await send()];
    expect(outcomes).toEqual([
      { status: 'transient', code: '2', message: 'Service temporarily unavailable' },
      { status: 'transient', code: '4', message: '(#4) Application request limit reached', retryAfterMs: 2000 },
      { status: 'transient', code: 'timeout', message: `No answer within ${TIMEOUT_MS} ms.` },
      { status: 'permanent', code: '100', message: '(#100) The parameter recipient is required' },
    ]);
  });
});

describe('WhatsApp through the Graph fake', () => {
  const meta = createMetaAdapter({ REDRESS_META_APP_SECRET: META_APP_SECRET, REDRESS_META_VERIFY_TOKEN: 'v' });
  const statuses = async () => {
    const webhook = graph.statusWebhook(META_APP_SECRET)!;
    return (await meta.handle(channelRequest({ url: '/webhooks/meta', headers: webhook.headers, body: webhook.body }))).deliveryUpdates;
  };

  it('sends free-form text from the receiving number, and the sent/read statuses come back for its wamid', async () => {
    graph.lastCustomerMessage.set(WA_ID, ago(HOUR));
    const outcome = await router.send(reply({ source: 'whatsapp', mode: 'free_form', recipient: { customerId: WA_ID, accountId: PHONE_NUMBER_ID } }));
    expect(outcome.status).toBe('sent');
    const wamid = outcome.status === 'sent' ? outcome.platformMessageId! : '';
    graph.reportWhatsAppStatus(wamid, 'read');
    expect((await statuses())?.map((u) => [u.platformMessageId, u.status])).toEqual([[wamid, 'sent'], [wamid, 'read']]);
  });

  it('sends the configured template after 24 h', async () => {
    graph.lastCustomerMessage.set(WA_ID, ago(30 * HOUR));
    const outcome = await router.send(reply({ source: 'whatsapp', mode: 'template', message: 'Line one.\nLine two.', recipient: { customerId: WA_ID, accountId: PHONE_NUMBER_ID } }));
    expect(outcome.status).toBe('sent');
    expect(graph.accepted.at(-1)?.body).toMatchObject({ type: 'template', template: { name: 'complaint_reply', components: [{ parameters: [{ text: 'Line one. Line two.' }] }] } });
    await statuses(); // drain
  });

  it('is accepted and then reported failed (131047) when free-form text is sent after 24 h', async () => {
    graph.lastCustomerMessage.set(WA_ID, ago(30 * HOUR));
    const outcome = await router.send(reply({ source: 'whatsapp', mode: 'free_form', recipient: { customerId: WA_ID, accountId: PHONE_NUMBER_ID } }));
    expect(outcome.status).toBe('sent');
    expect(await statuses()).toMatchObject([{ status: 'failed', error: { code: '131047' } }]);
  });

  it('fails permanently for a template WhatsApp does not know', async () => {
    const other = createReplySender({ ...env, REDRESS_WHATSAPP_TEMPLATE: 'missing_template:en_US' }, { timeoutMs: TIMEOUT_MS });
    const outcome = await other.send(reply({ source: 'whatsapp', mode: 'template', recipient: { customerId: WA_ID, accountId: PHONE_NUMBER_ID } }));
    expect(outcome).toMatchObject({ status: 'permanent', code: '132001' });
  });
});

describe('X through the X fake (OAuth 1.0a verified)', () => {
  it('sends a DM to the participant; the fake verifies the signature and a fresh nonce each time', async () => {
    const first = await router.send(reply({ source: 'x', mode: 'unrestricted', recipient: { customerId: '1146654567674912769' } }));
    const second = await router.send(reply({ source: 'x', mode: 'unrestricted', recipient: { customerId: '1146654567674912769' } }));
    expect([first.status, second.status]).toEqual(['sent', 'sent']);
    expect(first.status === 'sent' && first.platformMessageId).toBe(x.accepted.at(-2)?.eventId);
    expect(x.accepted.at(-1)).toMatchObject({ participantId: '1146654567674912769', text: 'We have reversed the fee. 费用已退回。' });
  });

  it('is refused (401) when the access token secret is wrong', async () => {
    const wrong = createReplySender({ ...env, REDRESS_X_ACCESS_TOKEN_SECRET: 'not-the-secret' }, { timeoutMs: TIMEOUT_MS });
    expect(await wrong.send(reply({ source: 'x', mode: 'unrestricted', recipient: { customerId: '1' } }))).toMatchObject({ status: 'permanent', code: 'http_401' });
  });

  it('waits for the rate-limit reset on a 429, and fails permanently when DMs are closed', async () => {
    x.failNext({ kind: 'rate_limited', retryAfterSeconds: 60 });
    const limited = await router.send(reply({ source: 'x', mode: 'unrestricted', recipient: { customerId: '2' } }));
    x.closedDms.add('3');
    const closed = await router.send(reply({ source: 'x', mode: 'unrestricted', recipient: { customerId: '3' } }));
    expect(limited).toMatchObject({ status: 'transient', code: 'http_429' });
    expect(limited.status === 'transient' && limited.retryAfterMs).toBeGreaterThan(55_000);
    expect(closed).toMatchObject({ status: 'permanent', code: 'not-authorized-for-resource' });
  });
});

describe('WeChat through the WeChat fake', () => {
  const OPENID = 'oUser-openid-integration';

  it('fetches a token once and keeps it for the next sends', async () => {
    wechat.lastCustomerMessage.set(OPENID, ago(HOUR));
    const issued = wechat.tokensIssued;
    const sender = createReplySender(env, { timeoutMs: TIMEOUT_MS });
    const outcomes = await Promise.all([1, 2, 3].map(() => sender.send(reply({ source: 'wechat', mode: 'free_form', recipient: { customerId: OPENID } }))));
    expect(outcomes).toEqual([{ status: 'sent' }, { status: 'sent' }, { status: 'sent' }]);
    expect(wechat.tokensIssued - issued).toBe(1);
    expect(wechat.accepted.at(-1)).toEqual({ touser: OPENID, content: 'We have reversed the fee. 费用已退回。' });
  });

  it('refreshes the token once on 40001 and sends', async () => {
    wechat.lastCustomerMessage.set(OPENID, ago(HOUR));
    const sender = createReplySender(env, { timeoutMs: TIMEOUT_MS });
    await sender.send(reply({ source: 'wechat', mode: 'free_form', recipient: { customerId: OPENID } }));
    const issued = wechat.tokensIssued;
    wechat.forceTokenError(40001);
    expect(await sender.send(reply({ source: 'wechat', mode: 'free_form', recipient: { customerId: OPENID } }))).toEqual({ status: 'sent' });
    expect(wechat.tokensIssued - issued).toBe(1);
  });

  it('is transient when the fresh token is refused too (42001 twice), without a third try', async () => {
    wechat.lastCustomerMessage.set(OPENID, ago(HOUR));
    const sender = createReplySender(env, { timeoutMs: TIMEOUT_MS });
    wechat.forceTokenError(42001, 42001);
    const sends = wechat.requests.filter((r) => r.path.endsWith('/send')).length;
    expect(await sender.send(reply({ source: 'wechat', mode: 'free_form', recipient: { customerId: OPENID } }))).toMatchObject({ status: 'transient', code: '42001' });
    expect(wechat.requests.filter((r) => r.path.endsWith('/send')).length - sends).toBe(2);
  });

  it('fetches a new token once the cached one has expired', async () => {
    let now = Date.now();
    const clock = () => new Date(now);
    const shortLived = new WechatApiFake({ appId: 'wx1', appSecret: 's', expiresIn: 600, now: clock });
    await shortLived.start();
    try {
      shortLived.lastCustomerMessage.set(OPENID, new Date(now));
      const sender = createReplySender({ REDRESS_WECHAT_API_URL: shortLived.url, REDRESS_WECHAT_APP_ID: 'wx1', REDRESS_WECHAT_APP_SECRET: 's' }, { now: clock, timeoutMs: TIMEOUT_MS });
      await sender.send(reply({ source: 'wechat', mode: 'free_form', recipient: { customerId: OPENID } }));
      now += 301_000; // past expires_in minus the margin (half of 600 s)
      expect(await sender.send(reply({ source: 'wechat', mode: 'free_form', recipient: { customerId: OPENID } }))).toEqual({ status: 'sent' });
      expect(shortLived.tokensIssued).toBe(2);
    } finally {
      await shortLived.close();
    }
  });

  it('fails permanently outside the 48-hour window (45015) and with a wrong AppSecret (40125)', async () => {
    wechat.lastCustomerMessage.set('oStale', ago(49 * HOUR));
    const stale = await router.send(reply({ source: 'wechat', mode: 'free_form', recipient: { customerId: 'oStale' } }));
    const wrong = await createReplySender({ ...env, REDRESS_WECHAT_APP_SECRET: 'nope' }).send(reply({ source: 'wechat', mode: 'free_form', recipient: { customerId: OPENID } }));
    expect(stale).toMatchObject({ status: 'permanent', code: '45015' });
    expect(wrong).toMatchObject({ status: 'permanent', code: '40125' });
  });

  it('is transient when WeChat is busy (-1)', async () => {
    wechat.lastCustomerMessage.set(OPENID, ago(HOUR));
    await router.send(reply({ source: 'wechat', mode: 'free_form', recipient: { customerId: OPENID } })); // token in cache
    wechat.failNext({ kind: 'server_error' });
    expect(await router.send(reply({ source: 'wechat', mode: 'free_form', recipient: { customerId: OPENID } }))).toMatchObject({ status: 'transient', code: '-1' });
  });
});

describe('SMS through the Twilio fake', () => {
  const twilioInbound = () => createTwilioAdapter({ REDRESS_TWILIO_AUTH_TOKEN: TWILIO.authToken, REDRESS_PUBLIC_URL: 'https://api.example-bank.com' });

  it('sends to the caller and the signed status callback comes back for its SID', async () => {
    const outcome = await router.send(reply({ source: 'twilio', mode: 'unrestricted', recipient: { customerId: '+447700900123' } }));
    expect(outcome).toEqual({ status: 'sent', platformMessageId: twilio.accepted.at(-1)?.sid });
    expect(twilio.accepted.at(-1)).toMatchObject({ to: '+447700900123', from: '+15005550006', statusCallback: 'https://api.example-bank.com/webhooks/hotline/twilio/status' });
    const sid = twilio.accepted.at(-1)!.sid;
    const callback = twilio.statusCallback(sid, 'delivered');
    const parsed = await twilioInbound().handle(channelRequest({ url: new URL(callback.url).pathname, headers: callback.headers, body: callback.body }));
    expect(parsed.deliveryUpdates).toMatchObject([{ source: 'twilio', status: 'delivered', platformMessageId: sid }]);
  });

  it('fails permanently on a bad auth token (20003) and an invalid number (21211); transient on 429', async () => {
    const wrong = await createReplySender({ ...env, REDRESS_TWILIO_AUTH_TOKEN: 'wrong' }).send(reply({ source: 'twilio', mode: 'unrestricted', recipient: { customerId: '+447700900123' } }));
    const invalid = await router.send(reply({ source: 'twilio', mode: 'unrestricted', recipient: { customerId: 'anonymous' } }));
    twilio.failNext({ kind: 'rate_limited', retryAfterSeconds: 4 });
    const limited = await router.send(reply({ source: 'twilio', mode: 'unrestricted', recipient: { customerId: '+447700900123' } }));
    expect([wrong, invalid]).toMatchObject([{ status: 'permanent', code: '20003' }, { status: 'permanent', code: '21211' }]);
    expect(limited).toEqual({ status: 'transient', code: '20429', message: 'Too Many Requests', retryAfterMs: 4000 });
  });
});

describe('The bank’s back ends through a Standard Webhooks receiver', () => {
  it('delivers reply.created, verified, with the reply id as webhook-id; a retry is recognised as the same reply', async () => {
    const item = { id: 'fb_web1', source: 'web' as const, externalId: 'msg_1', language: 'zh', customer: { id: 'c-1029', name: 'A' } };
    const outbound = outboundReplyFor(item, { replyId: 'rp_web1', message: '您好', mode: 'unrestricted', createdAt: '2026-12-06T08:00:00.000Z' });
    const first = await router.send(outbound);
    const again = await router.send(outbound);
    expect([first, again]).toEqual([{ status: 'sent' }, { status: 'sent' }]);
    expect(backEnd.received.get('rp_web1')?.body).toEqual({
      type: 'reply.created',
      timestamp: '2026-12-06T08:00:00.000Z',
      data: { replyId: 'rp_web1', feedbackId: 'fb_web1', externalId: 'msg_1', customer: { id: 'c-1029' }, message: '您好', language: 'zh' },
    });
    expect(backEnd.redeliveries).toBe(1);
  });

  it('is transient on 503 and 429, permanent on 422 and on a signature the back end refuses', async () => {
    const send = (sender = router) => sender.send(reply({ source: 'web', mode: 'unrestricted', recipient: { customerId: 'c-1' } }));
    backEnd.failNext({ kind: 'server_error' }, { kind: 'rate_limited', retryAfterSeconds: 1 }, { kind: 'permanent' });
    const outcomes = [await send(), await send(), await send()];
    const badSecret = await send(createReplySender({ ...env, REDRESS_WEB_SECRET: 'whsec_d3Jvbmctc2VjcmV0LXdyb25nLXNlY3JldA==' }));
    expect(outcomes.map((o) => o.status)).toEqual(['transient', 'transient', 'permanent']);
    expect(badSecret).toMatchObject({ status: 'permanent', code: 'http_401' });
  });

  it('says mobile and hotline are not configured when their reply URL is unset', () => {
    expect([router.configured('web'), router.configured('mobile'), router.configured('hotline')]).toEqual([true, false, false]);
  });
});
