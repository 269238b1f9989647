import { describe, expect, it } from 'vitest';
import { CATEGORIES, KINDS } from '../../schemas/feedback.ts';
import { customerFigures, isLockedMessage, readCustomerMessages } from './customer-messages.ts';

describe('the customer-message set', () => {
  const messages = readCustomerMessages();

  it('has several hundred messages covering every category and kind, in every variety', () => {
    expect(messages.length).toBeGreaterThanOrEqual(300);
    expect(new Set(messages.map((m) => m.category))).toEqual(new Set(CATEGORIES));
    expect(new Set(messages.map((m) => m.kind))).toEqual(new Set(KINDS));
    expect(new Set(messages.map((m) => m.variety))).toEqual(new Set(['en', 'zh-Hans', 'zh-Hant', 'yue', 'vi', 'ja', 'ko']));
  });

  it('files every fraud report under fraud_security and has no duplicate text', () => {
    expect(messages.filter((m) => m.fraud && m.category !== 'fraud_security')).toEqual([]);
    expect(new Set(messages.map((m) => m.text)).size).toBe(messages.length);
  });

  it('locks about half the messages, by text alone', () => {
    const locked = messages.filter((m) => m.locked).length;
    expect(locked / messages.length).toBeGreaterThan(0.4);
    expect(locked / messages.length).toBeLessThan(0.6);
    expect(isLockedMessage('some text')).toBe(isLockedMessage('some text'));
  });
});

describe('customerFigures', () => {
  it('counts a complaint as caught when triaged, and one read as praise against the set', () => {
    // Arrange
    const [m] = readCustomerMessages().filter((x) => x.kind === 'complaint');
    const base = { category: m!.category, severity: 'critical' as const, sentiment: 0, language: 'en', confidence: 0.5, reasons: [] as string[], codes: { jrt0169: { channel: '', business: '', reason: '' } }, supportedLanguage: true as const };
    // Act
    const triaged = customerFigures([{ m: m!, c: { ...base, kind: 'inquiry', negative: true } }], 0.5);
    const praised = customerFigures([{ m: m!, c: { ...base, kind: 'praise', negative: false, probabilities: { complaint: 0.1, inquiry: 0, suggestion: 0, praise: 0.9 } } }], 0.5);
    // Assert
    expect(triaged.complaintsCaught).toBe(1);
    expect(praised.complaintsCaught).toBe(0);
    expect(praised.complaintsAsPraise).toBe(1);
  });
});
