/**
 * Social and telephony channels through the local stack, posted as each platform posts them, with
 * the stack's own (development) secrets: item counts must be exact.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHmac, randomBytes } from 'node:crypto';
import { decodeEncodingAesKey, encryptWechatMessage, wechatSignature } from '../../functions/shared/channels/wechat-crypto.ts';
import { twilioSignature } from '../../functions/shared/channels/twilio.ts';
import { xCrcResponseToken } from '../../functions/shared/channels/x.ts';
import { startTestStack, type TestStack } from '../helpers/local-stack.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.destroy();
});

async function received(): Promise<Array<{ detail: Record<string, unknown> }>> {
  await stack.drained();
  const { items } = (await (await fetch(`${stack.url}/local/events?type=Feedback.Received`)).json()) as { items: Array<{ detail: Record<string, unknown> }> };
  return items;
}
const metaSig = (body: string) => `sha256=${createHmac('sha256', stack.env.REDRESS_META_APP_SECRET!.split(',')[0]!).update(body).digest('hex')}`;
const postMeta = (body: string, sig = metaSig(body)) =>
  fetch(`${stack.url}/webhooks/meta`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': sig }, body });
const messenger = (mids: string[]) =>
  JSON.stringify({ object: 'page', entry: [{ id: '1', time: Date.now(), messaging: mids.map((mid) => ({ sender: { id: '2468' }, recipient: { id: '1' }, timestamp: Date.now(), message: { mid, text: `Card declined again (${mid})` } })) }] });

describe('Meta', () => {
  it('answers the handshake only with the verify token', async () => {
    const ok = await fetch(`${stack.url}/webhooks/meta?hub.mode=subscribe&hub.challenge=12345&hub.verify_token=${stack.env.REDRESS_META_VERIFY_TOKEN}`);
    expect([ok.status, await ok.text()]).toEqual([200, '12345']);
    expect((await fetch(`${stack.url}/webhooks/meta?hub.mode=subscribe&hub.challenge=12345&hub.verify_token=nope`)).status).toBe(403);
  });

  it('makes one item per message, none for a redelivery or a tampered body', async () => {
    const before = (await received()).length;
    const body = messenger(['m_a1', 'm_a2', 'm_a3']);
    expect((await postMeta(body)).status).toBe(200);
    expect((await postMeta(body)).status).toBe(200); // Meta redelivers
    expect((await postMeta(body.replace('declined', 'accepted'), metaSig(body))).status).toBe(401);
    const events = (await received()).slice(before);
    expect(events.map((e) => [e.detail.source, e.detail.channel])).toEqual([
      ['messenger', 'social'],
      ['messenger', 'social'],
      ['messenger', 'social'],
    ]);
  });
});

describe('X', () => {
  it('answers the CRC with the exact response token', async () => {
    const res = await fetch(`${stack.url}/webhooks/x?crc_token=${encodeURIComponent('abc+/=')}`);
    expect(await res.json()).toEqual({ response_token: xCrcResponseToken(stack.env.REDRESS_X_CONSUMER_SECRET!, 'abc+/=') });
  });
});

describe('WeChat safe mode', () => {
  it('decrypts, stores one item and answers success', async () => {
    const before = (await received()).length;
    const key = decodeEncodingAesKey(stack.env.REDRESS_WECHAT_AES_KEY!)!;
    const xml = `<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[oUser1]]></FromUserName><CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[转账失败，钱被扣了]]></Content><MsgId>880001</MsgId></xml>`;
    const encrypt = encryptWechatMessage(xml, key, stack.env.REDRESS_WECHAT_APP_ID!, randomBytes(16));
    const ts = String(Math.floor(Date.now() / 1000));
    const token = stack.env.REDRESS_WECHAT_TOKEN!;
    const query = `signature=${wechatSignature(token, ts, '42')}&timestamp=${ts}&nonce=42&openid=oUser1&encrypt_type=aes&msg_signature=${wechatSignature(token, ts, '42', encrypt)}`;
    const res = await fetch(`${stack.url}/webhooks/wechat?${query}`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: `<xml><ToUserName><![CDATA[gh_1]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>` });
    expect([res.status, await res.text()]).toEqual([200, 'success']);
    const events = (await received()).slice(before);
    expect(events.map((e) => e.detail.source)).toEqual(['wechat']);
  });
});

describe('WeChat signed nonces, on the stack (safe mode by default with an EncodingAESKey)', () => {
  const token = () => stack.env.REDRESS_WECHAT_TOKEN!;
  const xml = (text: string, msgId: string) =>
    `<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[oUser2]]></FromUserName><CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${text}]]></Content><MsgId>${msgId}</MsgId></xml>`;
  const encrypted = (text: string, msgId: string) => encryptWechatMessage(xml(text, msgId), decodeEncodingAesKey(stack.env.REDRESS_WECHAT_AES_KEY!)!, stack.env.REDRESS_WECHAT_APP_ID!, randomBytes(16));
  const postSafe = (ts: string, nonce: string, encrypt: string) =>
    fetch(`${stack.url}/webhooks/wechat?signature=${wechatSignature(token(), ts, nonce)}&timestamp=${ts}&nonce=${nonce}&openid=oUser2&encrypt_type=aes&msg_signature=${wechatSignature(token(), ts, nonce, encrypt)}`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body: `<xml><ToUserName><![CDATA[gh_1]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`,
    });

  it('takes a (timestamp, nonce) pair once: the same delivery again is acknowledged, another body with it is 403', async () => {
    const before = (await received()).length;
    const ts = String(Math.floor(Date.now() / 1000));
    const first = encrypted('信用卡被盗刷', '880101');
    expect((await postSafe(ts, '7001', first)).status).toBe(200);
    expect((await postSafe(ts, '7001', first)).status).toBe(200); // WeChat's retry of the same request
    expect((await postSafe(ts, '7001', encrypted('another message', '880102'))).status).toBe(403);
    expect((await received()).slice(before)).toHaveLength(1);
  });

  it("refuses a GET verification's query replayed onto a POST, and plaintext POSTs in safe mode", async () => {
    const before = (await received()).length;
    const ts = String(Math.floor(Date.now() / 1000));
    const query = `signature=${wechatSignature(token(), ts, '7002')}&timestamp=${ts}&nonce=7002`;
    const verified = await fetch(`${stack.url}/webhooks/wechat?${query}&echostr=4412738859067172110`);
    expect([verified.status, await verified.text()]).toEqual([200, '4412738859067172110']);
    const replayed = await fetch(`${stack.url}/webhooks/wechat?${query}&openid=oUser2`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: xml('forged', '880103') });
    expect(replayed.status).toBe(403);
    const q2 = `signature=${wechatSignature(token(), ts, '7003')}&timestamp=${ts}&nonce=7003&openid=oUser2`;
    const plaintext = await fetch(`${stack.url}/webhooks/wechat?${q2}`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: xml('plaintext', '880104') });
    expect(plaintext.status).toBe(403);
    expect((await received()).slice(before)).toHaveLength(0);
  });
});

describe('Twilio', () => {
  it('verifies against REDRESS_PUBLIC_URL + path + query and answers empty TwiML', async () => {
    const before = (await received()).length;
    const params = { CallSid: 'CA1', TranscriptionSid: 'TR1', TranscriptionStatus: 'completed', TranscriptionText: 'I waited forty minutes on hold', From: '+447700900123', Caller: '+447700900123' };
    const path = '/webhooks/hotline/twilio?line=cards';
    const signature = twilioSignature(stack.env.REDRESS_TWILIO_AUTH_TOKEN!.split(',')[0]!, stack.url + path, Object.entries(params));
    const send = (sig: string) =>
      fetch(stack.url + path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': sig }, body: new URLSearchParams(params).toString() });
    const res = await send(signature);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<Response>');
    expect((await send(signature.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')))).status).toBe(403);
    const events = (await received()).slice(before);
    expect(events.map((e) => [e.detail.source, e.detail.channel])).toEqual([['twilio', 'hotline']]);
  });
});
