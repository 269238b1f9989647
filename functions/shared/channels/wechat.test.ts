import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProblemError } from '../errors.ts';
import { channelRequest, channelVectors, handleOrProblem, type ChannelVector } from './test-request.ts';
import { createWechatAdapter, WECHAT_TOLERANCE_SECONDS } from './wechat.ts';
import { decodeEncodingAesKey, decryptWechatMessage, encryptWechatMessage, encryptWechatReply } from './wechat-crypto.ts';

const sha1Sorted = (...parts: (string | number)[]): string => createHash('sha1').update(parts.map(String).sort().join('')).digest('hex');

const envFor = (vector: ChannelVector): NodeJS.ProcessEnv => ({
  REDRESS_WECHAT_TOKEN: vector.secret,
  ...(vector.encodingAESKey ? { REDRESS_WECHAT_AES_KEY: vector.encodingAESKey, REDRESS_WECHAT_APP_ID: vector.appId } : {}),
});

describe('WeChat adapter: every wechat-oa vector', () => {
  for (const vector of channelVectors('wechat-oa')) {
    it(`#${vector.index} ${vector.description}`, async () => {
      // Prepare: the vectors carry no "now"; the request arrives at the signed timestamp.
      const timestamp = Number(new URL(vector.url).searchParams.get('timestamp'));
      const req = channelRequest({ method: vector.method, url: vector.url, headers: vector.headers, body: vector.body, now: new Date((vector.now ?? timestamp) * 1000) });
      // Act
      const outcome = await handleOrProblem(createWechatAdapter(envFor(vector)), req);
      // Assess
      if (!vector.expect.valid) {
        expect(outcome).toBeInstanceOf(ProblemError);
        expect((outcome as ProblemError).status).toBe(vector.expect.status);
        return;
      }
      if (outcome instanceof ProblemError) throw outcome;
      expect(outcome.respond([])).toMatchObject({ statusCode: vector.expect.status, body: vector.expect.responseBody });
      if (vector.index === 19 || vector.index === 22) {
        expect(outcome.messages).toEqual([
          {
            source: 'wechat',
            channel: 'social',
            externalId: '24602047843722100',
            occurredAt: new Date(1767225600 * 1000).toISOString(),
            text: '信用卡账单日可以修改吗？',
            customer: { id: 'o9AgO5Kd5ggOC-bXrbNODIiE3bGY' },
            context: { msgType: 'text' },
          },
        ]);
      } else {
        expect(outcome.messages).toEqual([]); // GET verifications, and #21's debug_demo event
      }
    });
  }

  it('#21 and #22 decrypt to exactly the expected plaintext', () => {
    for (const vector of channelVectors('wechat-oa').filter((v) => v.expectedPlaintext)) {
      const encrypt = /"Encrypt":"([^"]+)"|<Encrypt><!\[CDATA\[([^\]]+)\]\]>/.exec(vector.body)!;
      const plaintext = decryptWechatMessage(encrypt[1] ?? encrypt[2]!, [decodeEncodingAesKey(vector.encodingAESKey!)!], vector.appId!);
      expect(plaintext?.message).toBe(vector.expectedPlaintext);
    }
  });

  for (const vector of channelVectors('wechat-oa-reply')) {
    it(`#${vector.index} ${vector.description}`, () => {
      const reply = encryptWechatReply(vector.body, {
        token: vector.secret,
        key: decodeEncodingAesKey(vector.encodingAESKey!)!,
        appId: vector.appId!,
        timestamp: vector.timestamp!,
        nonce: vector.nonce!,
        random16: Buffer.from(vector.random16!, 'utf8'),
      });
      expect(JSON.stringify(reply)).toBe(vector.expect.responseBody);
    });
  }
});

// Our own deliveries, built the way WeChat builds them.
const TOKEN = 'BankFeedbackTok3n';
const KEY_NOW = 'kWxPQ2mZr8Tn4Lv7Ys1Hd6Jf0Bc9Ga3Ue5Ri2Oq8Xw7';
const KEY_BEFORE = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
const APP_ID = 'wx5c3f9a1e7b2d4086';
const OPENID = 'o9AgO5Kd5ggOC-bXrbNODIiE3bGY';
const NOW = 1767225600;
const KEYS = { REDRESS_WECHAT_TOKEN: TOKEN, REDRESS_WECHAT_AES_KEY: `${KEY_NOW},${KEY_BEFORE}`, REDRESS_WECHAT_APP_ID: APP_ID };
/** Compatible mode reads both forms, so most tests below use it; safe mode (the default with keys) has its own tests. */
const adapter = createWechatAdapter({ ...KEYS, REDRESS_WECHAT_MODE: 'compatible' });
const safeAdapter = createWechatAdapter(KEYS);

const textXml = (content: string, msgId = '24602047843722101', prolog = '') =>
  `${prolog}<xml><ToUserName><![CDATA[gh_97417a04a28d]]></ToUserName><FromUserName><![CDATA[${OPENID}]]></FromUserName><CreateTime>${NOW}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content>${content}</Content><MsgId>${msgId}</MsgId></xml>`;

const plainPost = (body: string | Buffer, { ts = NOW, nonce = '776501234', now = NOW, token = TOKEN, contentType = 'text/xml' } = {}) =>
  channelRequest({ url: `/webhooks/wechat?signature=${sha1Sorted(token, ts, nonce)}&timestamp=${ts}&nonce=${nonce}&openid=${OPENID}`, headers: { 'content-type': contentType }, body, now: new Date(now * 1000) });

const safePost = (inner: string, { key = KEY_NOW, appId = APP_ID, ts = NOW, nonce = '1523349712', now = NOW, envelope = 'xml' as 'xml' | 'json', encrypt = undefined as string | undefined } = {}) => {
  const enc = encrypt ?? encryptWechatMessage(inner, decodeEncodingAesKey(key)!, appId);
  const body = envelope === 'xml' ? `<xml><ToUserName><![CDATA[gh_97417a04a28d]]></ToUserName><Encrypt><![CDATA[${enc}]]></Encrypt></xml>` : JSON.stringify({ ToUserName: 'gh_97417a04a28d', Encrypt: enc });
  return channelRequest({
    url: `/webhooks/wechat?signature=${sha1Sorted(TOKEN, ts, nonce)}&timestamp=${ts}&nonce=${nonce}&openid=${OPENID}&encrypt_type=aes&msg_signature=${sha1Sorted(TOKEN, ts, nonce, enc)}`,
    headers: { 'content-type': envelope === 'xml' ? 'text/xml' : 'application/json' },
    body,
    now: new Date(now * 1000),
  });
};

const statusOf = async (req: ReturnType<typeof channelRequest>): Promise<number> => {
  const outcome = await handleOrProblem(adapter, req);
  return outcome instanceof ProblemError ? outcome.status : outcome.respond([]).statusCode;
};

describe('WeChat adapter: messages', () => {
  it('reads the JSON data format and keeps the 64-bit MsgId exact', async () => {
    const body = `{"ToUserName":"gh_1","FromUserName":"${OPENID}","CreateTime":${NOW},"MsgType":"text","Content":"转账失败","MsgId":24602047843722101}`;
    const outcome = await adapter.handle(plainPost(body, { contentType: 'application/json' }));
    expect(outcome.messages.map((m) => [m.externalId, m.text])).toEqual([['24602047843722101', '转账失败']]);
  });

  it('reads safe mode with the previous EncodingAESKey during rotation, and in a JSON envelope', async () => {
    const viaOldKey = await adapter.handle(safePost(textXml('<![CDATA[旧密钥]]>'), { key: KEY_BEFORE }));
    const viaJson = await adapter.handle(safePost(textXml('<![CDATA[JSON 信封]]>', '7'), { envelope: 'json' }));
    expect(viaOldKey.messages.map((m) => m.text)).toEqual(['旧密钥']);
    expect(viaJson.messages.map((m) => [m.externalId, m.text])).toEqual([['7', 'JSON 信封']]);
  });

  it('takes voice messages that carry speech recognition', async () => {
    const body = `<xml><FromUserName><![CDATA[${OPENID}]]></FromUserName><CreateTime>${NOW}</CreateTime><MsgType><![CDATA[voice]]></MsgType><MediaId><![CDATA[m]]></MediaId><Format><![CDATA[amr]]></Format><Recognition><![CDATA[我要投诉]]></Recognition><MsgId>55</MsgId></xml>`;
    expect((await adapter.handle(plainPost(body))).messages.map((m) => m.text)).toEqual(['我要投诉']);
  });

  it.each([
    ['a subscribe event', `<xml><FromUserName><![CDATA[${OPENID}]]></FromUserName><CreateTime>${NOW}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[subscribe]]></Event></xml>`],
    ['a blank text', textXml('<![CDATA[   ]]>')],
  ])('acknowledges %s with success and no message', async (_label, body) => {
    const outcome = await adapter.handle(plainPost(body));
    expect(outcome.messages).toEqual([]);
    expect(outcome.respond([])).toMatchObject({ statusCode: 200, body: 'success' });
  });

  it('takes a message whose text carries a control character XML forbids, instead of refusing it', async () => {
    const outcome = await adapter.handle(plainPost(textXml('<![CDATA[卡被冻结了\x1d请尽快处理]]>')));
    expect(outcome.messages.map((m) => m.text)).toEqual(['卡被冻结了\uFFFD请尽快处理']);
  });

  it('decodes predefined entities in plain text, keeps CDATA verbatim, and leaves unknown entities unexpanded', async () => {
    const outcome = await adapter.handle(plainPost(textXml('A &amp; B &lt;3 &#x4E2D; &xxe;')));
    expect(outcome.messages[0]?.text).toBe('A & B <3 中 &xxe;');
    const cdata = await adapter.handle(plainPost(textXml('<![CDATA[<!DOCTYPE x> &amp; stays]]>')));
    expect(cdata.messages[0]?.text).toBe('<!DOCTYPE x> &amp; stays');
  });
});

describe('WeChat adapter: XXE and entity bombs', () => {
  const marker = 'xxeexpandedmarker';
  const xxe = `<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY xxe "${marker}"><!ENTITY sys SYSTEM "file:///etc/hostname">]>`;
  const lol = `<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">${Array.from({ length: 8 }, (_, i) => `<!ENTITY lol${i + 2} "${`&lol${i + 1};`.repeat(10)}">`).join('')}]>`;

  it.each([
    ['an XXE payload (internal and SYSTEM entities)', textXml(`Balance is wrong &xxe;&sys;`, '1', xxe)],
    ['a billion-laughs payload', textXml('&lol9;', '2', lol)],
    ['a DOCTYPE without a prolog', textXml('x', '3', '<!DOCTYPE xml SYSTEM "http://evil.example/x.dtd">')],
  ])('rejects %s with 400 in plaintext mode', async (_label, body) => {
    // Act
    const started = Date.now();
    const outcome = await handleOrProblem(adapter, plainPost(body));
    // Assess: refused fast, nothing expanded into the answer.
    expect(outcome).toBeInstanceOf(ProblemError);
    expect((outcome as ProblemError).status).toBe(400);
    expect(JSON.stringify(outcome)).not.toContain(marker);
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('rejects an XXE payload hidden inside a safe-mode ciphertext with 400', async () => {
    expect(await statusOf(safePost(textXml('&xxe;', '4', xxe)))).toBe(400);
  });
});

describe('WeChat adapter: rejections', () => {
  it.each([
    ['a timestamp 301 s old', { ts: NOW - WECHAT_TOLERANCE_SECONDS - 1 }, 403],
    ['a timestamp 301 s ahead', { ts: NOW + WECHAT_TOLERANCE_SECONDS + 1 }, 403],
    ['a timestamp 300 s old', { ts: NOW - WECHAT_TOLERANCE_SECONDS }, 200],
    ['a timestamp 300 s ahead', { ts: NOW + WECHAT_TOLERANCE_SECONDS }, 200],
    ['another token', { token: 'not-our-token' }, 403],
  ])('plaintext with %s answers %i', async (_label, options, status) => {
    expect(await statusOf(plainPost(textXml('x'), options))).toBe(status);
  });

  it.each([
    ['a stale timestamp', { ts: NOW - 400 }, 403],
    ['another AppID', { appId: 'wxWRONGAPPID00000' }, 403],
    ['an unknown EncodingAESKey', { key: 'B'.repeat(43) }, 403],
    ['Encrypt that is not base64', { encrypt: '!!!not-base64!!!' }, 403],
    ['Encrypt that is random bytes', { encrypt: Buffer.alloc(64, 7).toString('base64') }, 403],
    ['an empty Encrypt', { encrypt: '' }, 400],
  ])('safe mode with %s answers %i', async (_label, options, status) => {
    expect(await statusOf(safePost(textXml('x'), options))).toBe(status);
  });

  it('answers 400 to a safe-mode plaintext that is not XML', async () => {
    expect(await statusOf(safePost('<xml><garbage'))).toBe(400);
  });

  it.each([
    ['truncated XML', textXml('x').slice(0, 60)],
    ['random bytes', Buffer.from([0xff, 0x00, 0x3c, 0x78, 0x9a])],
    ['an event with a null Event', '{"MsgType":"event","Event":null}'],
    ['deeply nested tags', `<xml><MsgType><![CDATA[text]]></MsgType>${'<a>'.repeat(5000)}`],
    ['deeply nested closed tags', `<xml><MsgType>text</MsgType>${'<a>'.repeat(3000)}${'</a>'.repeat(3000)}</xml>`],
    ['a text message without MsgId', `<xml><FromUserName>o1</FromUserName><MsgType>text</MsgType><Content>hi</Content></xml>`],
    ['a repeated Content field', textXml('a</Content><Content>b')],
    ['a JSON array', '[1,2]'],
    ['no <xml> root', '<root><MsgType>text</MsgType></root>'],
  ])('answers 400 to %s', async (_label, body) => {
    expect(await statusOf(plainPost(body))).toBe(400);
  });

  it.each([
    ['no parameters', '/webhooks/wechat'],
    ['empty parameters', '/webhooks/wechat?signature=&timestamp=&nonce=&echostr=1'],
    ['a zero signature', `/webhooks/wechat?signature=${'0'.repeat(40)}&timestamp=1&nonce=1&echostr=1`],
    ['array-style parameters', '/webhooks/wechat?signature[]=1&timestamp=abc'],
  ])('refuses a GET with %s (403, no echo)', async (_label, url) => {
    const outcome = await handleOrProblem(adapter, channelRequest({ method: 'GET', url }));
    expect((outcome as ProblemError).status).toBe(403);
  });

  it('refuses safe mode when no EncodingAESKey is configured', async () => {
    const plainOnly = createWechatAdapter({ REDRESS_WECHAT_TOKEN: TOKEN });
    const outcome = await handleOrProblem(plainOnly, safePost(textXml('x')));
    expect((outcome as ProblemError).status).toBe(403);
  });

  it('is in safe mode by default when an EncodingAESKey is set: a validly signed plaintext POST is refused with 403', async () => {
    const outcome = await handleOrProblem(safeAdapter, plainPost(textXml('<![CDATA[伪造的投诉]]>')));
    expect((outcome as ProblemError).status).toBe(403);
    expect((await safeAdapter.handle(safePost(textXml('<![CDATA[真的投诉]]>')))).messages).toHaveLength(1);
  });

  it('asks the ingest handler to claim every signed (timestamp, nonce) pair, fingerprinted by the body', async () => {
    const first = await adapter.handle(plainPost(textXml('<![CDATA[a]]>')));
    const again = await adapter.handle(plainPost(textXml('<![CDATA[a]]>')));
    const other = await adapter.handle(plainPost(textXml('<![CDATA[b]]>')));
    const safe = await safeAdapter.handle(safePost(textXml('<![CDATA[c]]>')));
    expect(first.nonce).toEqual({ key: `wechat:${NOW}:776501234`, fingerprint: expect.stringMatching(/^POST:/), expiresAt: new Date((NOW + WECHAT_TOLERANCE_SECONDS) * 1000) });
    expect(again.nonce).toEqual(first.nonce);
    expect(other.nonce?.fingerprint).not.toBe(first.nonce?.fingerprint);
    expect(safe.nonce?.key).toBe(`wechat:${NOW}:1523349712`);
  });

  it("claims a fresh GET verification's pair too, so it cannot be replayed onto a POST", async () => {
    const url = `/webhooks/wechat?signature=${sha1Sorted(TOKEN, NOW, '42')}&timestamp=${NOW}&nonce=42&echostr=7164032843627519013`;
    const fresh = await adapter.handle(channelRequest({ method: 'GET', url, now: new Date(NOW * 1000) }));
    const post = await adapter.handle(plainPost(textXml('<![CDATA[x]]>'), { nonce: '42' }));
    expect(fresh.nonce?.key).toBe(post.nonce?.key);
    expect(fresh.nonce?.fingerprint).not.toBe(post.nonce?.fingerprint);
    expect(fresh.respond([])).toMatchObject({ statusCode: 200, body: '7164032843627519013', headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' } });
  });

  it.each([
    ['markup', '<script>alert(1)</script>'],
    ['a JSON body', '{"MsgType":"text"}'],
    ['an XML body', '<xml><MsgType>text</MsgType></xml>'],
    ['white space', 'a b'],
    ['an overlong token', '1'.repeat(129)],
  ])('does not echo an echostr that is %s, even validly signed (403)', async (_label, echostr) => {
    const url = `/webhooks/wechat?signature=${sha1Sorted(TOKEN, NOW, '42')}&timestamp=${NOW}&nonce=42&echostr=${encodeURIComponent(echostr)}`;
    const outcome = await handleOrProblem(adapter, channelRequest({ method: 'GET', url, now: new Date(NOW * 1000) }));
    expect((outcome as ProblemError).status).toBe(403);
  });

  it('refuses a validly signed POST whose nonce is not a WeChat nonce (403)', async () => {
    expect(await statusOf(plainPost(textXml('x'), { nonce: 'a:b' }))).toBe(403);
  });

  it('is configured only with a token and, when safe mode is set, usable keys and an AppID', () => {
    expect(adapter.configured).toBe(true);
    expect(adapter.route).toBe('wechat');
    expect(createWechatAdapter({}).configured).toBe(false);
    expect(createWechatAdapter({ REDRESS_WECHAT_TOKEN: TOKEN }).configured).toBe(true);
    expect(createWechatAdapter({ REDRESS_WECHAT_TOKEN: TOKEN, REDRESS_WECHAT_AES_KEY: 'too-short', REDRESS_WECHAT_APP_ID: APP_ID }).configured).toBe(false);
    expect(createWechatAdapter({ REDRESS_WECHAT_TOKEN: TOKEN, REDRESS_WECHAT_AES_KEY: KEY_NOW }).configured).toBe(false);
    // An encrypted mode needs a key; an unknown mode is a typo, not a silent fallback.
    expect(createWechatAdapter({ REDRESS_WECHAT_TOKEN: TOKEN, REDRESS_WECHAT_MODE: 'safe' }).configured).toBe(false);
    expect(createWechatAdapter({ ...KEYS, REDRESS_WECHAT_MODE: 'secure' }).configured).toBe(false);
    expect(createWechatAdapter({ ...KEYS, REDRESS_WECHAT_MODE: 'plaintext' }).configured).toBe(true);
  });
});

describe('WeChat adapter: properties', () => {
  const digits = fc.stringMatching(/^[0-9]{1,10}$/);

  it('rejects any change to the signed timestamp, nonce or signature with 403', async () => {
    const ts = NOW, nonce = '776501234';
    const signature = sha1Sorted(TOKEN, ts, nonce);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('timestamp', 'nonce', 'signature'), digits, fc.nat({ max: 39 }), fc.constantFrom(...'0123456789abcdef'), async (field, value, position, digit) => {
        const params = { signature, timestamp: String(ts), nonce };
        if (field === 'signature') params.signature = signature.slice(0, position) + digit + signature.slice(position + 1);
        else params[field] = field === 'timestamp' ? String(ts + 1 + (Number(value) % 299)) : value;
        fc.pre(params.signature !== signature || params.timestamp !== String(ts) || params.nonce !== nonce);
        const req = channelRequest({ url: `/webhooks/wechat?signature=${params.signature}&timestamp=${params.timestamp}&nonce=${params.nonce}`, headers: { 'content-type': 'text/xml' }, body: textXml('x'), now: new Date(NOW * 1000) });
        const outcome = await handleOrProblem(adapter, req);
        return outcome instanceof ProblemError && outcome.status === 403;
      }),
      { numRuns: 300 },
    );
  });

  it('rejects any change to a safe-mode Encrypt with 403 before decrypting', async () => {
    const enc = encryptWechatMessage(textXml('<![CDATA[原文]]>'), decodeEncodingAesKey(KEY_NOW)!, APP_ID);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: enc.length - 3 }), fc.constantFrom(...alphabet), async (position, char) => {
        fc.pre(enc[position] !== char);
        const tampered = enc.slice(0, position) + char + enc.slice(position + 1);
        const body = `<xml><Encrypt><![CDATA[${tampered}]]></Encrypt></xml>`;
        // msg_signature still covers the original Encrypt.
        const req = channelRequest({ url: `/webhooks/wechat?timestamp=${NOW}&nonce=1&encrypt_type=aes&msg_signature=${sha1Sorted(TOKEN, NOW, 1, enc)}`, headers: { 'content-type': 'text/xml' }, body, now: new Date(NOW * 1000) });
        const outcome = await handleOrProblem(adapter, req);
        return outcome instanceof ProblemError && outcome.status === 403;
      }),
      { numRuns: 200 },
    );
  });

  it('rejects any token but ours with 403', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 40 }), async (token) => {
        fc.pre(token !== TOKEN);
        return (await statusOf(plainPost(textXml('x'), { token }))) === 403;
      }),
      { numRuns: 200 },
    );
  });

  it('answers any signed body with success or a 400, never anything else', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)), fc.jsonValue().map((v) => JSON.stringify(v))), async (body) => {
        const status = await statusOf(plainPost(body));
        return status === 200 || status === 400;
      }),
      { numRuns: 300 },
    );
  });
});
