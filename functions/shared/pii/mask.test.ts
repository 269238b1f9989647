import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { keyboardView, maskContact, maskPii } from './mask.ts';
import { chineseIdCheckChar, isChineseResidentId, isIbanValid, isLuhnValid, luhnCheckDigit } from './checksums.ts';

// Synthetic identifiers built with their own checksums (no real person's data).
const card16 = (prefix15: string): string => prefix15 + luhnCheckDigit(prefix15);
const residentId = (first17: string): string => first17 + chineseIdCheckChar(first17);
/** The first synthetic ID (born 1990-03-07) whose check character is X. */
const residentIdWithX = (): string => {
  for (let seq = 100; seq < 999; seq++) {
    const first17 = `11010519900307${seq}`;
    if (chineseIdCheckChar(first17) === 'X') return first17 + 'X';
  }
  throw new Error('no X check char found');
};
const VISA = card16('411111111111111');
const UNIONPAY19 = (() => { const p = '622202123456789012'; return p + luhnCheckDigit(p); })();
const ID = residentId('44030519851122031');
const ID_X = residentIdWithX();
/** ISO/IEC 7812 payment-card starts: Mastercard 2221–2720, 3, 4, 5, 6, 9 (domestic). */
const startsLikeCard = (digits: string): boolean => /^(?:222[1-9]|22[3-9]\d|2[3-6]\d\d|27[01]\d|2720|[34569])/.test(digits);
/** A 16-digit number that fails Luhn: an order number, not a card. */
const NOT_A_CARD = (() => { const p = '202401151234567'; const ok = Number(luhnCheckDigit(p)); return p + String((ok + 1) % 10); })();

describe('checksums', () => {
  it('accepts Luhn-valid numbers and rejects a one-digit change', () => {
    // Prepare
    const valid = VISA;
    const broken = valid.slice(0, -1) + String((Number(valid.slice(-1)) + 1) % 10);
    // Act / Assess
    expect(isLuhnValid(valid)).toBe(true);
    expect(isLuhnValid(broken)).toBe(false);
  });

  it('checks resident ID check characters and birth dates', () => {
    expect(isChineseResidentId(ID)).toBe(true);
    expect(isChineseResidentId(ID_X)).toBe(true);
    expect(isChineseResidentId(ID_X.toLowerCase())).toBe(true);
    expect(isChineseResidentId(ID.slice(0, 17) + (ID.endsWith('0') ? '1' : '0'))).toBe(false);
    // A month of 13 is never a birth date, whatever the check character says.
    const badDate = '440305198513220310';
    expect(isChineseResidentId(badDate.slice(0, 17) + chineseIdCheckChar(badDate.slice(0, 17)))).toBe(false);
  });

  it('checks IBANs with mod 97', () => {
    expect(isIbanValid('GB82WEST12345698765432')).toBe(true);
    expect(isIbanValid('GB82WEST12345698765433')).toBe(false);
  });
});

describe('maskPii: positives', () => {
  it.each([
    [`My card ${VISA} was charged twice`, 'My card [CARD] was charged twice'],
    [`card 4111 1111 1111 1111 was declined`, 'card [CARD] was declined'],
    [`卡号${UNIONPAY19.slice(0, 4)}-${UNIONPAY19.slice(4, 8)}-${UNIONPAY19.slice(8, 12)}-${UNIONPAY19.slice(12)}被盗刷了`, '卡号[CARD]被盗刷了'],
    [`我的卡${UNIONPAY19}昨天被吞`, '我的卡[CARD]昨天被吞'],
    ['card 4111.1111.1111.1111 or 4111/1111/1111/1111', 'card [CARD] or [CARD]'],
    ['card 4111  1111  1111  1111 (double spaces)', 'card [CARD] (double spaces)'],
    ['卡號４１１１１１１１１１１１１１１１', '卡號[CARD]'],
  ])('masks card numbers: %s', (input, expected) => {
    expect(maskPii(input)).toBe(expected);
  });

  it('masks resident ID numbers, including the X check character', () => {
    expect(maskPii(`身份证号${ID}，请核实`)).toBe('身份证号[ID]，请核实');
    expect(maskPii(`身份證號碼：${ID_X}。`)).toBe('身份證號碼：[ID]。');
    expect(maskPii(`ID ${ID_X.slice(0, 17)}x please`)).toBe('ID [ID] please');
    // After an ID word the shape decides, so a mistyped check character X still leaves nothing behind.
    const wrongX = ID.slice(0, 17) + 'X';
    expect(maskPii(`身份证号码：${wrongX}`)).toBe('身份证号码：[ID]');
  });

  it.each([
    ['请打我手机13812345678，谢谢', '请打我手机[PHONE]，谢谢'],
    ['電話 0912-345-678 已停用？', '電話 [PHONE] 已停用？'],
    ['call me on +86 138 1234 5678 today', 'call me on [PHONE] today'],
    ['My number is +44 7700 900123.', 'My number is [PHONE].'],
    ['UK mobile 07700 900123 please', 'UK mobile [PHONE] please'],
    ['座机010-87654321转分机', '座机[PHONE]转分机'],
    ['联系电话(0755)8888 6666', '联系电话[PHONE]'],
    ['reach me at (555) 123-4567 after 5pm', 'reach me at [PHONE] after 5pm'],
    ['or 555-123-4567', 'or [PHONE]'],
    ['+1 (555) 123-4567', '[PHONE]'],
    ['reach me at 415.555.0132 tonight', 'reach me at [PHONE] tonight'],
    ['ring 07700900123 please', 'ring [PHONE] please'],
    ['加我VX13812345678或Tel13912345678', '加我VX[PHONE]或Tel[PHONE]'],
    ['手机号１３８１２３４５６７８', '手机号[PHONE]'],
    ['我的香港電話係 9123 4567', '我的香港電話係 [PHONE]'],
  ])('masks phone numbers: %s', (input, expected) => {
    expect(maskPii(input)).toBe(expected);
  });

  it.each([
    ['我的账号是6228480012345678，转账失败', '我的账号是[ACCOUNT]，转账失败'],
    ['Account number: 12345678 sort code', 'Account number: [ACCOUNT] sort code'],
    ['帳戶 0123 4567 8901 23 被凍結', '帳戶 [ACCOUNT] 被凍結'],
    ['IBAN GB82 WEST 1234 5698 7654 32 please refund', 'IBAN [ACCOUNT] please refund'],
  ])('masks account numbers: %s', (input, expected) => {
    expect(maskPii(input)).toBe(expected);
  });

  it('masks e-mail addresses in English and Chinese text', () => {
    expect(maskPii('write to jane.doe+bank@example.co.uk now')).toBe('write to [EMAIL] now');
    expect(maskPii('邮箱abc123@qq.com谢谢')).toBe('邮箱[EMAIL]谢谢');
  });

  it('masks several kinds in one message', () => {
    const input = `Card ${VISA}, phone 13912345678, mail a@b.cn, ID ${ID}`;
    expect(maskPii(input)).toBe('Card [CARD], phone [PHONE], mail [EMAIL], ID [ID]');
  });
});

describe('maskPii: look-alikes stay', () => {
  it.each([
    `订单号${NOT_A_CARD}还没发货`,
    `order no. ${NOT_A_CARD} not delivered`,
    'Order number 13812345678 was cancelled',
    '交易流水号 13812345678',
    'On 2024-01-15 at 10:30 I paid $1,234.56',
    '2024年1月15日转账¥12,345.67元',
    'reference 1234567890 from 20240115',
    'I was charged 3 times: 25.00, 25.00 and 25.00',
    'account opened on 2019-12-31',
    'The fee went up from 1.5% to 2.75% in 2023',
    `serial SN13812345678 is broken`,
    'my account ending in 1234',
    '编号 123456789012345678',
    'paid on 15/03/2024 and 2024.03.15, app version 2.3.1, from 192.168.1.1',
    'hotel13812345678 is a booking code',
    'charged 49.99 49.99 49.99 49.99 this month; amounts 138.5 120.00 99.50',
    'login from unknown IP 139.162.111.25 and 10.0.0.1',
    'dates 15/03/2024 16/03/2024 17/03/2024',
    'to account 250000.00 yesterday',
    "I'm on app v3.12.0.4567, build v20240315.1, case V1234567, 订单V12345678",
  ])('keeps %s', (input) => {
    expect(maskPii(input)).toBe(input);
  });

  it('keeps CFPB-style redactions and amounts', () => {
    const input = 'On XX/XX/2019 they took {$500.00} from account XXXX and charged {$35.00}';
    expect(maskPii(input)).toBe(input);
  });
});

describe('maskPii: properties', () => {
  /** Text made of words, separators and numbers of every shape, including valid cards and IDs. */
  const fragment = fc.oneof(
    fc.constantFrom('card ', '卡号', 'account ', '账号', 'phone ', '手机', 'order ', '订单号', ' ', '  ', '-', '.', '/', '+', '(', ')', 'X', '，', 'abc', '身份证', 'VX', 'Tel'),
    // Keyboard forms: full-width and Unicode separators, e-mail pieces, IBAN pieces glued to anything.
    fc.constantFrom('\u3000', '\u00A0', '\t', '－', '\u2014', '_', ',', '＠', '@', 'a@b.cn', '。', '例子.中国', 'GB', 'gb82', 'iban ', 'GB82WEST12345698765432', '１'),
    fc.stringMatching(/^\d{1,20}$/),
    fc.stringMatching(/^\d{15}$/).map((p) => p + luhnCheckDigit(p)),
    fc.stringMatching(/^\d{12}$/).map((p) => p + luhnCheckDigit(p)),
    fc.tuple(fc.integer({ min: 110000, max: 659999 }), fc.integer({ min: 1950, max: 2010 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }), fc.integer({ min: 100, max: 999 }))
      .map(([a, y, m, d, s]) => residentId(`${a}${y}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}${s}`)),
  );
  const messyText = fc.array(fragment, { maxLength: 12 }).map((parts) => parts.join(''));

  it('takes time linear in a long list of numbers, not quadratic or cubic', () => {
    // A guard against super-linear time, not a speed figure: 4,000 characters of "1 " took 45 s when every
    // sub-span of a run was tried, and the e-mail pattern rescanned "1.1.1…" from every position.
    for (const piece of ['1 ', '12 ', '1-', '1.', '+1 ', '(1)', '1\u3000', '1,', '1_', '1\uFF0D', 'a@b.', 'a.b@', 'gb82 ']) {
      const started = Date.now();
      expect(maskPii(piece.repeat(Math.floor(64_000 / piece.length)))).not.toContain('[EMAIL]');
      expect(Date.now() - started).toBeLessThan(3000);
    }
  });

  it('is idempotent', () => {
    fc.assert(fc.property(messyText, (text) => maskPii(maskPii(text)) === maskPii(text)), { numRuns: 2000 });
  });

  it('never leaves a Luhn-valid 13–19 digit run that starts like a payment card', () => {
    // Platform ids (1…, 7…) and date-stamped order numbers (2024…) are not cards even when Luhn-valid.
    fc.assert(
      fc.property(messyText, (text) => {
        // Read as the masker reads (full-width digits are digits), since unmasked text keeps its own characters.
        const runs = keyboardView(maskPii(text)).match(/\d+/g) ?? [];
        return runs.every((r) => r.length < 13 || r.length > 19 || !isLuhnValid(r) || !startsLikeCard(r));
      }),
      { numRuns: 500 },
    );
  });
});

describe('maskContact', () => {
  it('keeps the e-mail domain and the last four phone digits', () => {
    expect(maskContact('jane.doe@example.com')).toBe('j***@example.com');
    expect(maskContact('+86 138-1234-5678')).toBe('****5678');
  });

  it('masks anything else as free text', () => {
    expect(maskContact(`card ${VISA}`)).toBe('card [CARD]');
    expect(maskContact('wechat: jane_d')).toBe('wechat: jane_d');
  });
});

describe('maskPii: what Chinese and Western keyboards type', () => {
  const [a, b, c] = [ID.slice(0, 6), ID.slice(6, 14), ID.slice(14)];
  it.each([
    ['手机１３８\u3000１２３４\u3000５６７８', '手机[PHONE]'],
    ['phone 138－1234－5678', 'phone [PHONE]'],
    ['call 138\u20141234\u20145678 or 138\u2013 1234 \u2013 5678', 'call [PHONE] or [PHONE]'],
    ['＋８６ 138 1234 5678', '[PHONE]'],
    ['联系电话（0755）8888\u30006666', '联系电话[PHONE]'],
    ['card 4111\u00A01111\u00A01111\u00A01111', 'card [CARD]'],
    ['card 4111\t1111\t1111\t1111', 'card [CARD]'],
    ['card 4111    1111    1111    1111', 'card [CARD]'],
    ['card 4111_1111_1111_1111', 'card [CARD]'],
    ['card 4111,1111,1111,1111', 'card [CARD]'],
    ['卡号4111，1111，1111，1111', '卡号[CARD]'],
    ['card 4111\u22121111\u22121111\u22121111', 'card [CARD]'],
    ['card 4111\u200B1111\u200B1111\u200B1111', 'card [CARD]'],
    [`身份证 ${a}\u3000${b}\u3000${c}`, '身份证 [ID]'],
    [`身份证 ${a}－${b}－${c}`, '身份证 [ID]'],
    ['mail jane＠example．com', 'mail [EMAIL]'],
    ['ｊａｎｅ＠ｅｘａｍｐｌｅ．ｃｏｍ', '[EMAIL]'],
    ['邮箱jane@qq。com谢谢', '邮箱[EMAIL]谢谢'],
    ['write to jane@bücher.de', 'write to [EMAIL]'],
    ['发到jane@例子.中国谢谢', '发到[EMAIL]谢谢'],
    ['ivan@пример.рф please', '[EMAIL] please'],
    ['jane@xn--bcher-kva.de', '[EMAIL]'],
    ['josé.garcía@correo.es', '[EMAIL]'],
    ['iban gb82 west 1234 5698 7654 32 please', 'iban [ACCOUNT] please'],
    ['IBAN GB82-WEST-1234-5698-7654-32', 'IBAN [ACCOUNT]'],
    ['IBAN GB82WEST12345698765432 TODAY', 'IBAN [ACCOUNT] TODAY'],
  ])('masks %j', (input, expected) => {
    expect(maskPii(input)).toBe(expected);
  });

  it.each([
    '金额¥12,345,678.00，手续费1,234元',
    'amounts 49,99 and 1.234,56 EUR',
    '日期2024－01－15 和 2024年1月15日，15/03/2024',
    '订单号 2024_0115_1234_5678 还没到',
    'order no. 20240115123456789',
    'our page 104350012345678 and IG 17841401234567890',
    'version 5.2.1 build 2024.03.15',
  ])('keeps the look-alike %j', (input) => {
    expect(maskPii(input)).toBe(input);
  });

  it('keeps the characters the customer typed wherever nothing is masked', () => {
    expect(maskPii('第１２３期，手机１３８１２３４５６７８')).toBe('第１２３期，手机[PHONE]');
  });

  it('reads contacts however they were typed', () => {
    expect(maskContact('ｊａｎｅ＠example．com')).toBe('j***@example.com');
    expect(maskContact('jane@例子.中国')).toBe('j***@例子.中国');
    expect(maskContact('138－1234－5678')).toBe('****5678');
    expect(maskContact('１３８\u3000１２３４\u3000５６７８')).toBe('****5678');
  });
});

describe('maskPii: keyboard forms (properties)', () => {
  const fullWidth = (digits: string, which: boolean[]) => [...digits].map((d, i) => (which[i % which.length] ? String.fromCharCode(d.charCodeAt(0) + 0xfee0) : d)).join('');
  const separator = fc.constantFrom(' ', '  ', '   ', '\u3000', '\u00A0', '\t', '-', '\uFF0D', '\u2013', '\u2014', '\u2212', '\u2010', '_', ',', '\uFF0C', '\u200B', ' - ');
  const grouped = (digits: string, sizes: number[]) => {
    const groups: string[] = [];
    let at = 0;
    for (const size of sizes) groups.push(digits.slice(at, (at += size)));
    return groups;
  };
  /** A PII value (card, mobile, resident ID) as digit groups. */
  const piiValue = fc.oneof(
    fc.stringMatching(/^4\d{14}$/).map((p) => grouped(p + luhnCheckDigit(p), [4, 4, 4, 4])),
    fc.stringMatching(/^62\d{16}$/).map((p) => grouped(p + luhnCheckDigit(p), [4, 4, 4, 4, 3])),
    fc.stringMatching(/^1[3-9]\d{9}$/).map((d) => grouped(d, [3, 4, 4])),
    fc.tuple(fc.integer({ min: 110000, max: 659999 }), fc.integer({ min: 1950, max: 2010 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }), fc.integer({ min: 100, max: 999 }))
      .map(([a, y, m, d, n]) => residentId(`${a}${y}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}${n}`))
      .filter((id) => /^\d+$/.test(id))
      .map((id) => grouped(id, [6, 8, 4])),
  );
  /** Words around it: no digits, and nothing that makes a number a reference. */
  const word = fc.constantFrom('card', '卡号', 'my', '请帮忙', 'please help', '手机', '身份证', 'call me on', '电话', '。', '，', '!');

  it('masks cards, mobiles and resident IDs typed with any keyboard separator and full-width digits, leaving no digit', () => {
    fc.assert(
      fc.property(word, piiValue, fc.array(separator, { minLength: 4, maxLength: 4 }), fc.array(fc.boolean(), { minLength: 1, maxLength: 5 }), word, (before, groups, seps, which, after) => {
        const typed = groups.map((g, i) => (i ? seps[(i - 1) % seps.length]! : '') + fullWidth(g, which)).join('');
        const masked = maskPii(`${before} ${typed} ${after}`);
        expect(keyboardView(masked)).not.toMatch(/\d/);
        expect(masked).toMatch(/\[(CARD|PHONE|ID)\]/);
      }),
      { numRuns: 500 },
    );
  });

  it('masks e-mail addresses with full-width at signs and dots, and IDN domains', () => {
    const local = fc.constantFrom('jane', 'jane.doe', 'j_d+bank', 'josé', 'ｊａｎｅ', 'zhang.san88');
    const domain = fc.constantFrom('example', 'bücher', '例子', 'qq', 'пример', 'xn--bcher-kva', 'mail.example');
    const tld = fc.constantFrom('com', 'de', '中国', 'рф', 'co.uk', 'ｃｏｍ');
    fc.assert(
      fc.property(word, local, fc.constantFrom('@', '＠', '﹫'), domain, fc.constantFrom('.', '．', '。'), tld, word, (before, l, at, d, dot, t, after) => {
        const masked = maskPii(`${before} ${l}${at}${d}${dot}${t} ${after}`);
        expect(masked).toContain('[EMAIL]');
        expect(masked).not.toMatch(/[@＠﹫]/);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps dates, amounts, order numbers and platform ids, however they are typed', () => {
    const sep = fc.constantFrom('-', '－', '/', '.', '\u2013');
    const date = fc.tuple(fc.integer({ min: 1990, max: 2030 }), sep, fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 })).map(([y, s, m, d]) => `${y}${s}${String(m).padStart(2, '0')}${s}${String(d).padStart(2, '0')}`);
    const amount = fc.tuple(fc.integer({ min: 1, max: 999 }), fc.array(fc.integer({ min: 0, max: 999 }), { minLength: 1, maxLength: 4 }), fc.boolean())
      .map(([head, rest, cents]) => `${head}${rest.map((g) => `,${String(g).padStart(3, '0')}`).join('')}${cents ? '.50' : ''}`);
    // A Luhn-valid number that starts like a card is masked even after an order word (checksums decide).
    const notACard = fc.stringMatching(/^\d{8,20}$/).filter((n) => n.length < 13 || n.length > 19 || !isLuhnValid(n) || !startsLikeCard(n));
    const order = fc.tuple(fc.constantFrom('订单号', 'order no. ', 'ref ', '流水号：', 'ticket #'), notACard).map(([w, n]) => `${w}${n}`);
    const platformId = fc.stringMatching(/^1\d{13,16}$/).map((p) => p + luhnCheckDigit(p));
    fc.assert(
      fc.property(fc.constantFrom('on', '于', 'paid', '金额', 'page'), fc.oneof(date, amount, order, platformId), (before, value) => {
        const text = `${before} ${value} 谢谢`;
        expect(maskPii(text)).toBe(text);
      }),
      { numRuns: 500 },
    );
  });
});
