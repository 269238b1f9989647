/**
 * Media messages become items (caption or placeholder as the text, attachments kept by reference) and
 * the platforms' reports on the messages Redress sent become delivery updates, for Meta (Messenger,
 * Instagram, WhatsApp), WeChat and Twilio. Payload shapes follow the platforms' webhook references.
 */
import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createMetaAdapter } from './meta.ts';
import { channelRequest } from './test-request.ts';
import { createTwilioAdapter, twilioSignature } from './twilio.ts';
import { createWechatAdapter } from './wechat.ts';

const META_SECRET = 'media-test-meta-app-secret';
const meta = createMetaAdapter({ REDRESS_META_APP_SECRET: META_SECRET, REDRESS_META_VERIFY_TOKEN: 'v' });
const NOW = new Date('2026-12-06T08:00:00Z');
const metaPost = (payload: unknown) => {
  const body = JSON.stringify(payload);
  const signature = `sha256=${createHmac('sha256', META_SECRET).update(body).digest('hex')}`;
  return channelRequest({ url: '/webhooks/meta', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature }, body, now: NOW });
};

const PAGE = '104350012345678';
const PSID = '7012345678901234';
const PHONE_NUMBER_ID = '106540352242922';
const whatsApp = (value: Record<string, unknown>) => ({
  object: 'whatsapp_business_account',
  entry: [{ id: '102290129340398', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550783881', phone_number_id: PHONE_NUMBER_ID }, ...value } }] }],
});
const whatsAppMessage = (type: string, media: Record<string, unknown>) =>
  whatsApp({ contacts: [{ wa_id: '16505551234', profile: { name: 'Sheena Nelson' } }], messages: [{ from: '16505551234', id: `wamid.${type}`, timestamp: '1749416383', type, [type]: media }] });

describe('WhatsApp media messages', () => {
  it('keeps an image with its caption as the text and the media id, MIME type and size as the attachment', async () => {
    // Prepare: Meta's documented image message shape.
    const payload = whatsAppMessage('image', { caption: 'The receipt the ATM printed', mime_type: 'image/jpeg', sha256: 'b1f0', id: '1003383421387256', file_size: 48213 });
    // Act
    const outcome = await meta.handle(metaPost(payload));
    // Assess
    expect(outcome.messages).toEqual([
      {
        source: 'whatsapp',
        channel: 'social',
        externalId: 'wamid.image',
        occurredAt: new Date(1749416383000).toISOString(),
        text: 'The receipt the ATM printed',
        customer: { id: '16505551234', name: 'Sheena Nelson' },
        context: { phoneNumberId: PHONE_NUMBER_ID },
        attachments: [{ type: 'image', platformMediaId: '1003383421387256', mimeType: 'image/jpeg', size: 48213 }],
        platform: { accountId: PHONE_NUMBER_ID },
      },
    ]);
  });

  it.each([
    ['audio', { mime_type: 'audio/ogg; codecs=opus', sha256: 'a1', id: 'm-voice', voice: true }, '[voice]', 'voice'],
    ['video', { mime_type: 'video/mp4', sha256: 'v1', id: 'm-video' }, '[video]', 'video'],
    ['document', { filename: 'statement.pdf', mime_type: 'application/pdf', sha256: 'd1', id: 'm-doc' }, '[document]', 'document'],
    ['sticker', { mime_type: 'image/webp', sha256: 's1', id: 'm-sticker', animated: false }, '[sticker]', 'sticker'],
  ])('turns a %s message without a caption into an item whose text is the placeholder', async (type, media, text, attachmentType) => {
    const outcome = await meta.handle(metaPost(whatsAppMessage(type, media)));
    expect(outcome.messages.map((m) => [m.text, m.attachments?.[0]?.type, m.attachments?.[0]?.platformMediaId])).toEqual([[text, attachmentType, media.id]]);
  });

  it('keeps a media message whose media object it cannot read, as the placeholder without an attachment', async () => {
    const outcome = await meta.handle(metaPost(whatsAppMessage('image', { caption: 42 })));
    expect(outcome.messages.map((m) => [m.text, m.attachments])).toEqual([['[image]', undefined]]);
  });

  it('still drops what is not a message a customer wrote or sent (a reaction)', async () => {
    const payload = whatsApp({ messages: [{ from: '1', id: 'wamid.r', timestamp: '1', type: 'reaction', reaction: { message_id: 'wamid.x', emoji: '👍' } }] });
    expect((await meta.handle(metaPost(payload))).messages).toEqual([]);
  });
});

describe('WhatsApp statuses', () => {
  it('reports sent, delivered and read by wamid, dated by the platform', async () => {
    const statuses = ['sent', 'delivered', 'read'].map((status, i) => ({ id: 'wamid.OUT', status, timestamp: String(1767225600 + i), recipient_id: '16505551234' }));
    const outcome = await meta.handle(metaPost(whatsApp({ statuses })));
    expect(outcome.messages).toEqual([]);
    expect(outcome.deliveryUpdates).toEqual(
      ['sent', 'delivered', 'read'].map((status, i) => ({
        source: 'whatsapp',
        status,
        platformMessageId: 'wamid.OUT',
        recipientId: '16505551234',
        accountId: PHONE_NUMBER_ID,
        at: new Date((1767225600 + i) * 1000).toISOString(),
      })),
    );
  });

  it('reports a failure with the platform error code and its details', async () => {
    const failed = {
      id: 'wamid.OUT',
      status: 'failed',
      timestamp: '1767225600',
      recipient_id: '16505551234',
      errors: [{ code: 131047, title: 'Re-engagement message', message: 'Re-engagement message', error_data: { details: 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.' } }],
    };
    const outcome = await meta.handle(metaPost(whatsApp({ statuses: [failed] })));
    expect(outcome.deliveryUpdates?.[0]).toMatchObject({
      status: 'failed',
      error: { code: '131047', message: 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.' },
    });
  });

  it('skips a status it cannot read instead of refusing the delivery', async () => {
    const outcome = await meta.handle(metaPost(whatsApp({ statuses: [null, { status: 'delivered' }, { id: 'wamid.P', status: 'played', timestamp: '1' }] })));
    expect(outcome.deliveryUpdates).toEqual([]);
  });
});

const messaging = (object: 'page' | 'instagram', event: Record<string, unknown>) => ({
  object,
  entry: [{ id: PAGE, time: 1767225600000, messaging: [{ sender: { id: PSID }, recipient: { id: PAGE }, timestamp: 1767225600000, ...event }] }],
});

describe('Messenger and Instagram attachments', () => {
  it('keeps a photo without text as an [image] item, its URL as the reference', async () => {
    const url = 'https://scontent.xx.fbcdn.net/v/t1.15752-9/photo.jpg?_nc_cat=1&oh=abc';
    const outcome = await meta.handle(metaPost(messaging('page', { message: { mid: 'm_photo', attachments: [{ type: 'image', payload: { url } }] } })));
    expect(outcome.messages).toEqual([
      {
        source: 'messenger',
        channel: 'social',
        externalId: 'm_photo',
        occurredAt: new Date(1767225600000).toISOString(),
        text: '[image]',
        customer: { id: PSID },
        context: { pageId: PAGE },
        attachments: [{ type: 'image', platformMediaId: url }],
        platform: { accountId: PAGE },
      },
    ]);
  });

  it('keeps the text of a message that also carries a file, voice note and video', async () => {
    const attachments = [
      { type: 'file', payload: { url: 'https://cdn.example/statement.pdf' } },
      { type: 'audio', payload: { url: 'https://cdn.example/voice.mp4' } },
      { type: 'video', payload: { url: 'https://cdn.example/clip.mp4' } },
    ];
    const outcome = await meta.handle(metaPost(messaging('instagram', { message: { mid: 'm_mixed', text: 'See attached', attachments } })));
    expect(outcome.messages.map((m) => [m.text, m.attachments?.map((a) => a.type)])).toEqual([['See attached', ['document', 'voice', 'video']]]);
  });

  it('names a sticker a sticker', async () => {
    const sticker = { type: 'image', payload: { url: 'https://cdn.example/sticker.png', sticker_id: 369239263222822 } };
    const outcome = await meta.handle(metaPost(messaging('page', { message: { mid: 'm_sticker', attachments: [sticker] } })));
    expect(outcome.messages.map((m) => [m.text, m.attachments])).toEqual([['[sticker]', [{ type: 'sticker', platformMediaId: 'https://cdn.example/sticker.png' }]]]);
  });

  it('keeps a photo the platform gave no URL for, as [image] with nothing to reference', async () => {
    const outcome = await meta.handle(metaPost(messaging('instagram', { message: { mid: 'm_nourl', attachments: [{ type: 'image' }] } })));
    expect(outcome.messages.map((m) => [m.text, m.attachments])).toEqual([['[image]', undefined]]);
  });

  it('ignores an attachment it cannot read and one that is not media (a shared post)', async () => {
    const attachments = [null, { type: 'share', payload: { url: 'https://instagram.com/p/1' } }, { type: 7 }];
    const outcome = await meta.handle(metaPost(messaging('instagram', { message: { mid: 'm_share', attachments } })));
    expect(outcome.messages).toEqual([]);
  });
});

describe('Messenger and Instagram receipts', () => {
  it('reports a delivery per mid, with its watermark, the customer and the Page', async () => {
    const outcome = await meta.handle(metaPost(messaging('page', { delivery: { mids: ['m_out1', 'm_out2'], watermark: 1767225700000 } })));
    const at = new Date(1767225700000).toISOString();
    expect(outcome.deliveryUpdates).toEqual(
      ['m_out1', 'm_out2'].map((mid) => ({ source: 'messenger', status: 'delivered', platformMessageId: mid, watermark: at, recipientId: PSID, accountId: PAGE, at })),
    );
  });

  it('reports a read receipt by watermark, which has no mids', async () => {
    const outcome = await meta.handle(metaPost(messaging('page', { read: { watermark: 1767225800000 } })));
    const at = new Date(1767225800000).toISOString();
    expect(outcome.deliveryUpdates).toEqual([{ source: 'messenger', status: 'read', watermark: at, recipientId: PSID, accountId: PAGE, at }]);
  });

  it('skips a receipt it cannot read and still acknowledges the delivery', async () => {
    const outcome = await meta.handle(metaPost(messaging('page', { delivery: { mids: 'm_1', watermark: {} } })));
    expect([outcome.deliveryUpdates, outcome.respond([]).statusCode]).toEqual([[], 200]);
  });

  it('reports an Instagram read by mid, dated by the event', async () => {
    const outcome = await meta.handle(metaPost(messaging('instagram', { read: { mid: 'm_ig_out' } })));
    expect(outcome.deliveryUpdates).toEqual([
      { source: 'instagram', status: 'read', platformMessageId: 'm_ig_out', recipientId: PSID, accountId: PAGE, at: new Date(1767225600000).toISOString() },
    ]);
  });
});

describe('Instagram comments', () => {
  it('records the comment as what a private reply answers', async () => {
    const payload = { object: 'instagram', entry: [{ id: '17841401234567890', time: 1767225600, changes: [{ field: 'comments', value: { id: '17865432109876543', text: 'Fees too high', from: { id: '1234567890123456', username: 'jane' } } }] }] };
    const outcome = await meta.handle(metaPost(payload));
    expect(outcome.messages[0]?.platform).toEqual({ accountId: '17841401234567890', commentId: '17865432109876543' });
  });
});

describe('WeChat media messages', () => {
  const TOKEN = 'mediatesttoken';
  const wechat = createWechatAdapter({ REDRESS_WECHAT_TOKEN: TOKEN });
  const timestamp = Math.floor(NOW.getTime() / 1000);
  const wechatPost = (xml: string) => {
    const signature = createHash('sha1').update([TOKEN, String(timestamp), 'n1'].sort().join('')).digest('hex');
    return channelRequest({ url: `/webhooks/wechat?signature=${signature}&timestamp=${timestamp}&nonce=n1`, headers: { 'content-type': 'text/xml' }, body: xml, now: NOW });
  };
  const xml = (msgType: string, fields: string) =>
    `<xml><ToUserName><![CDATA[gh_bank]]></ToUserName><FromUserName><![CDATA[oUser-openid-1]]></FromUserName><CreateTime>1767225600</CreateTime><MsgType><![CDATA[${msgType}]]></MsgType>${fields}<MsgId>23847239847298347</MsgId></xml>`;

  it('keeps an image as an [image] item with its MediaId, dated by CreateTime', async () => {
    const outcome = await wechat.handle(wechatPost(xml('image', '<PicUrl><![CDATA[http://mmbiz.qpic.cn/x]]></PicUrl><MediaId><![CDATA[media_id_img]]></MediaId>')));
    expect(outcome.messages).toEqual([
      {
        source: 'wechat',
        channel: 'social',
        externalId: '23847239847298347',
        occurredAt: new Date(1767225600000).toISOString(),
        text: '[image]',
        customer: { id: 'oUser-openid-1' },
        context: { msgType: 'image' },
        attachments: [{ type: 'image', platformMediaId: 'media_id_img' }],
      },
    ]);
  });

  it('keeps a voice note without recognition as [voice], with its format as the MIME type', async () => {
    const outcome = await wechat.handle(wechatPost(xml('voice', '<MediaId><![CDATA[media_id_voice]]></MediaId><Format><![CDATA[amr]]></Format>')));
    expect(outcome.messages.map((m) => [m.text, m.attachments])).toEqual([['[voice]', [{ type: 'voice', platformMediaId: 'media_id_voice', mimeType: 'audio/amr' }]]]);
  });

  it('uses the recognised speech as the text of a voice note and still keeps the media', async () => {
    const outcome = await wechat.handle(wechatPost(xml('voice', '<MediaId><![CDATA[v2]]></MediaId><Format><![CDATA[speex]]></Format><Recognition><![CDATA[我要投诉]]></Recognition>')));
    expect(outcome.messages.map((m) => [m.text, m.attachments?.[0]?.platformMediaId])).toEqual([['我要投诉', 'v2']]);
  });

  it('keeps an image even without a MediaId, as [image] with nothing to reference', async () => {
    const outcome = await wechat.handle(wechatPost(xml('image', '<PicUrl><![CDATA[http://mmbiz.qpic.cn/x]]></PicUrl>')));
    expect(outcome.messages.map((m) => [m.text, m.attachments])).toEqual([['[image]', undefined]]);
  });

  it.each(['video', 'shortvideo'])('keeps a %s as a [video] item', async (msgType) => {
    const outcome = await wechat.handle(wechatPost(xml(msgType, '<MediaId><![CDATA[vid]]></MediaId><ThumbMediaId><![CDATA[thumb]]></ThumbMediaId>')));
    expect(outcome.messages.map((m) => [m.text, m.attachments?.[0]?.type])).toEqual([['[video]', 'video']]);
  });
});

describe('Twilio message status callbacks', () => {
  const AUTH_TOKEN = 'twilio-media-test-token';
  const PUBLIC_URL = 'https://api.example-bank.com';
  const twilio = createTwilioAdapter({ REDRESS_TWILIO_AUTH_TOKEN: AUTH_TOKEN, REDRESS_PUBLIC_URL: PUBLIC_URL });
  const statusPost = (params: Record<string, string>) => {
    const pairs = Object.entries(params);
    const signature = twilioSignature(AUTH_TOKEN, `${PUBLIC_URL}/webhooks/hotline/twilio/status`, pairs);
    return channelRequest({
      url: '/webhooks/hotline/twilio/status',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
      body: new URLSearchParams(pairs).toString(),
      now: NOW,
    });
  };
  const base = { AccountSid: 'AC00000000000000000000000000000001', MessageSid: 'SM0123456789abcdef0123456789abcdef', SmsSid: 'SM0123456789abcdef0123456789abcdef', From: '+15005550006', To: '+447700900123', ApiVersion: '2010-04-01' };

  it('reports a delivered SMS by its MessageSid', async () => {
    const outcome = await twilio.handle(statusPost({ ...base, MessageStatus: 'delivered', SmsStatus: 'delivered' }));
    expect(outcome.messages).toEqual([]);
    expect(outcome.deliveryUpdates).toEqual([
      { source: 'twilio', status: 'delivered', platformMessageId: base.MessageSid, recipientId: base.To, accountId: base.From, at: NOW.toISOString() },
    ]);
  });

  it.each([
    ['undelivered', '30003', 'Unreachable destination handset'],
    ['failed', '30008', 'Unknown error'],
  ])('reports %s as failed with the error code', async (status, code, message) => {
    const outcome = await twilio.handle(statusPost({ ...base, MessageStatus: status, ErrorCode: code }));
    expect(outcome.deliveryUpdates?.[0]).toMatchObject({ status: 'failed', error: { code, message } });
  });

  it('ignores the steps before sent (queued, sending)', async () => {
    const outcome = await twilio.handle(statusPost({ ...base, MessageStatus: 'sending' }));
    expect(outcome.deliveryUpdates).toEqual([]);
  });

  it('refuses a status callback that is not signed for this URL', async () => {
    const req = statusPost({ ...base, MessageStatus: 'delivered' });
    await expect(async () => twilio.handle({ ...req, path: '/webhooks/hotline/twilio/other' })).rejects.toMatchObject({ status: 403 });
  });
});
