/** Unit tests of the small pure helpers under the social adapters: comparisons, XML, timestamps, WeChat crypto. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BadRequestError } from '../errors.ts';
import { constantTimeEqual, matchingSecretIndex, secretsEqual } from './crypto-compare.ts';
import { isoFromDateString, isoFromEpoch, isoFromMillis, isoFromSeconds, onFirstUse, parseJsonBody } from './payload.ts';
import { decodeEncodingAesKey, decryptWechatMessage, encryptWechatMessage, wechatSignature } from './wechat-crypto.ts';
import { declaresDtd, MAX_XML_DEPTH, parseFlatXml } from './xml.ts';

describe('crypto-compare', () => {
  it('compares equal and unequal values of any length', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => constantTimeEqual(a, b) === (a === b) && secretsEqual(a, b) === (a === b)),
      { numRuns: 300 },
    );
  });

  it('reports the first matching secret, or -1', () => {
    const sign = (secret: string) => `sig:${secret}`;
    expect(matchingSecretIndex(['a', 'b', 'c'], 'sig:b', sign)).toBe(1);
    expect(matchingSecretIndex(['a', 'b'], 'sig:z', sign)).toBe(-1);
    expect(matchingSecretIndex([], 'sig:a', sign)).toBe(-1);
  });
});

describe('payload timestamps', () => {
  it('converts seconds, milliseconds and dates to ISO 8601 UTC', () => {
    expect(isoFromSeconds('1767225600')).toBe('2026-01-01T00:00:00.000Z');
    expect(isoFromMillis(1767225600000)).toBe('2026-01-01T00:00:00.000Z');
    expect(isoFromEpoch(1767225600)).toBe('2026-01-01T00:00:00.000Z');
    expect(isoFromEpoch(1767225600000)).toBe('2026-01-01T00:00:00.000Z');
    expect(isoFromDateString('Thu Jan 01 00:00:00 +0000 2026')).toBe('2026-01-01T00:00:00.000Z');
  });

  it('answers undefined, never throws, for any value that is not a usable time', () => {
    fc.assert(
      fc.property(fc.oneof(fc.double(), fc.string(), fc.constant(undefined), fc.constant(null)), (value) => {
        for (const convert of [isoFromSeconds, isoFromMillis, isoFromEpoch] as ((v: unknown) => string | undefined)[]) {
          const iso = convert(value);
          if (iso !== undefined && Number.isNaN(Date.parse(iso))) return false;
        }
        const fromString = isoFromDateString(typeof value === 'string' ? value : undefined);
        return fromString === undefined || !Number.isNaN(Date.parse(fromString));
      }),
      { numRuns: 500 },
    );
    expect(isoFromMillis(1e20)).toBeUndefined();
  });

  it('keeps named big integers as their exact digits and refuses bad JSON with 400', () => {
    expect(parseJsonBody('{"MsgId":24602047843722100123,"n":1}', ['MsgId'])).toEqual({ MsgId: '24602047843722100123', n: 1 });
    expect(() => parseJsonBody('{"a":')).toThrow(BadRequestError);
  });
});

describe('xml', () => {
  it('spots DTDs outside CDATA only', () => {
    expect(declaresDtd('<!DOCTYPE x><xml/>')).toBe(true);
    expect(declaresDtd('<xml><![CDATA[<!ENTITY a "b">]]></xml>')).toBe(false);
    expect(declaresDtd('<xml><![CDATA[a]]><!ENTITY a "b"></xml>')).toBe(true);
    expect(declaresDtd('<xml><![CDATA[unterminated <!doctype x>')).toBe(true);
    expect(declaresDtd('<xml><!-- a comment --><A/></xml>')).toBe(false);
  });

  it('handles 256 KB of adversarial markup in well under a second', () => {
    for (const piece of ['<![CDATA[', '<!', '<a>', '&amp;', '<![CDATA[<!DOCTYPE']) {
      const started = Date.now();
      expect(() => parseFlatXml(`<xml>${piece.repeat(Math.floor((256 * 1024) / piece.length))}`)).toThrow(BadRequestError);
      expect(Date.now() - started).toBeLessThan(1000);
    }
  });

  it('decodes predefined and numeric references, keeps CDATA and unknown entities as written, refuses invalid characters', () => {
    expect(parseFlatXml('<xml><A>&lt;&gt;&amp;&quot;&apos;&#65;&#x42;&foo;<![CDATA[&amp;]]></A></xml>')).toEqual({ A: `<>&"'AB&foo;&amp;` });
    for (const ref of ['&#1114112;', '&#xD800;', '&#0;']) expect(() => parseFlatXml(`<xml><A>${ref}</A></xml>`)).toThrow(BadRequestError);
  });

  it('reads characters XML forbids (customers\' text carries them) as U+FFFD instead of refusing the message', () => {
    expect(parseFlatXml('<xml><A><![CDATA[ \x1dc\x10]]></A><B>x\x08\uFFFEy</B></xml>')).toEqual({ A: ' \uFFFDc\uFFFD', B: 'x\uFFFD\uFFFDy' });
    expect(parseFlatXml('<xml><A>tab\tlf\ncr\r中文😀</A></xml>')).toEqual({ A: 'tab\tlf\ncr\n中文😀' });
  });

  it('takes a byte-order mark, whitespace before the XML declaration, and attributes it does not read', () => {
    for (const doc of ['\uFEFF<?xml version="1.0" encoding="UTF-8"?><xml><A>1</A></xml>', '\r\n  <?xml version="1.0"?>\n<xml><A>1</A></xml>\n', '<xml a="1"><A b="2">1</A></xml>']) {
      expect(parseFlatXml(doc)).toEqual({ A: '1' });
    }
  });

  it('reads WeChat-shaped nesting as null fields and refuses deeper nesting with 400', () => {
    const pics = '<SendPicsInfo><Count>1</Count><PicList><item><PicMd5Sum>abc</PicMd5Sum></item></PicList></SendPicsInfo>';
    expect(parseFlatXml(`<xml><MsgType>event</MsgType>${pics}</xml>`)).toEqual({ MsgType: 'event', SendPicsInfo: null });
    expect(() => parseFlatXml(`<xml>${'<a>'.repeat(MAX_XML_DEPTH + 1)}${'</a>'.repeat(MAX_XML_DEPTH + 1)}</xml>`)).toThrow(/nests elements/);
    expect(parseFlatXml(`<xml>${'<a>'.repeat(MAX_XML_DEPTH)}${'</a>'.repeat(MAX_XML_DEPTH)}</xml>`)).toEqual({ a: null });
  });

  it('reads repeated fields as null and ignores whitespace and comments between fields', () => {
    expect(parseFlatXml('<xml>\n  <A>1</A><!-- c -->\n  <A>2</A><B> x </B></xml>')).toEqual({ A: null, B: ' x ' });
  });

  it('reads flat fields, with nested ones as null', () => {
    expect(parseFlatXml('<xml><A>1</A><B><![CDATA[x]]></B><C><D>2</D></C></xml>')).toEqual({ A: '1', B: 'x', C: null });
  });

  it('refuses prototype-named elements with 400 and pollutes nothing', () => {
    expect(() => parseFlatXml('<xml><__proto__><polluted>1</polluted></__proto__></xml>')).toThrow(BadRequestError);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('never throws anything but a 400 for XML-shaped input built from markup pieces', () => {
    const piece = fc.constantFrom('<xml>', '</xml>', '<A>', '</A>', '<B/>', '<![CDATA[', ']]>', '&amp;', '&#x4E2D;', '&#0;', '&', ';', '<!--', '-->', '<?x y?>', '<!DOCTYPE', '<', '>', '"', 'text', '中文', ' ');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        try {
          const fields = parseFlatXml(pieces.join(''));
          return Object.values(fields).every((v) => v === null || typeof v === 'string');
        } catch (err) {
          return err instanceof BadRequestError;
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws anything but a 400 for any text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        try {
          parseFlatXml(s);
          return true;
        } catch (err) {
          return err instanceof BadRequestError;
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('wechat-crypto', () => {
  it('matches the official GET example signature', () => {
    expect(wechatSignature('AAAAA', '1714037059', '486452656')).toBe('899cf89e464efb63f54ddac96b0a0a235f53aa78');
  });

  it('round-trips any message through encrypt and decrypt, and refuses another AppID', () => {
    const key = decodeEncodingAesKey('kWxPQ2mZr8Tn4Lv7Ys1Hd6Jf0Bc9Ga3Ue5Ri2Oq8Xw7')!;
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (message) => {
        const encrypted = encryptWechatMessage(message, key, 'wxApp');
        return decryptWechatMessage(encrypted, [key], 'wxApp')?.message === message && decryptWechatMessage(encrypted, [key], 'wxOther') === undefined;
      }),
      { numRuns: 200 },
    );
  });

  it('refuses EncodingAESKeys that are not 43 alphanumerics', () => {
    expect(decodeEncodingAesKey('A'.repeat(42))).toBeUndefined();
    expect(decodeEncodingAesKey(`${'A'.repeat(42)}+`)).toBeUndefined();
    expect(decodeEncodingAesKey('A'.repeat(43))?.length).toBe(32);
  });
});

describe('onFirstUse', () => {
  it('builds nothing until first asked, then builds once and keeps the value', () => {
    let builds = 0;
    const schemas = onFirstUse(() => ({ n: ++builds }));
    expect(builds).toBe(0);
    const first = schemas();
    expect(schemas()).toBe(first);
    expect(builds).toBe(1);
  });
});
