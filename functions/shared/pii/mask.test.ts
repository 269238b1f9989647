import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { maskContact, maskPii } from './mask.ts';
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
    for (const piece of ['1 ', '12 ', '1-', '1.', '+1 ', '(1)']) {
      const started = Date.now();
      expect(maskPii(piece.repeat(Math.floor(64_000 / piece.length)))).not.toContain('[EMAIL]');
      expect(Date.now() - started).toBeLessThan(3000);
    }
  });

  it('is idempotent', () => {
    fc.assert(fc.property(messyText, (text) => maskPii(maskPii(text)) === maskPii(text)), { numRuns: 500 });
  });

  it('never leaves a Luhn-valid 13–19 digit run', () => {
    fc.assert(
      fc.property(messyText, (text) => {
        const runs = maskPii(text).match(/\d+/g) ?? [];
        return runs.every((r) => r.length < 13 || r.length > 19 || !isLuhnValid(r));
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
