import { describe, expect, it } from 'vitest';
import { CATEGORIES, KINDS, SEVERITIES } from '../../schemas/feedback.ts';
import { toSimplified } from '../../functions/shared/classification/features.ts';
import { readCustomerMessages } from './customer-messages.ts';
import { loadWrittenRows, readWrittenHoldout, readWrittenMessages } from './written-messages.ts';

/** Letters and digits only, lower-cased and folded to Simplified, so punctuation or case cannot hide a copy. */
const normal = (text: string): string => toSimplified(text.toLowerCase()).replace(/[^\p{L}\p{N}]/gu, '');

/** Character trigrams of the normalised text. */
function trigrams(text: string): Set<string> {
  const t = normal(text);
  const out = new Set<string>();
  for (let i = 0; i + 3 <= t.length; i++) out.add(t.slice(i, i + 3));
  return out;
}

function jaccard(a: Set<string>, b: Set<string>): number {
  let inter = 0;
  for (const x of a) if (b.has(x)) inter++;
  return inter / (a.size + b.size - inter || 1);
}

/** Lines of `lines` that copy a line of `others`, exactly (letters and digits) or nearly (half their trigrams). */
function copiesOf(lines: { text: string }[], others: { text: string }[]): { copies: string[]; near: string[] } {
  const theirs = others.map((m) => ({ text: m.text, grams: trigrams(m.text) }));
  const texts = new Set(theirs.map((t) => normal(t.text)));
  const copies = lines.filter((m) => texts.has(normal(m.text))).map((m) => m.text);
  const near = lines.flatMap((m) => {
    const g = trigrams(m.text);
    const hit = g.size >= 5 ? theirs.find((t) => jaccard(g, t.grams) >= 0.6) : undefined;
    return hit ? [`${m.text} ~ ${hit.text}`] : [];
  });
  return { copies, near };
}

describe('the written training messages', () => {
  const written = readWrittenMessages();

  it('cover every category and kind in every variety the classifier reads', () => {
    expect(written.length).toBeGreaterThanOrEqual(1000);
    for (const variety of ['en', 'zh-Hans', 'zh-Hant', 'yue'] as const) {
      const own = written.filter((m) => m.variety === variety);
      expect(new Set(own.map((m) => m.kind)), variety).toEqual(new Set(KINDS));
      expect(new Set(own.map((m) => m.category)), variety).toEqual(new Set(CATEGORIES));
    }
  });

  it('follow the labelling policy: fraud under fraud_security, money in motion at least medium, non-complaints low unless fraud', () => {
    const at = (s: string): number => SEVERITIES.indexOf(s as (typeof SEVERITIES)[number]);
    expect(written.filter((m) => m.fraud && m.category !== 'fraud_security').map((m) => m.text)).toEqual([]);
    expect(written.filter((m) => m.kind === 'complaint' && ['transfers_payments', 'card_issues', 'debt_collection', 'fraud_security'].includes(m.category) && at(m.minSeverity) < at('medium')).map((m) => m.text)).toEqual([]);
    expect(written.filter((m) => m.kind !== 'complaint' && !m.fraud && m.minSeverity !== 'low').map((m) => m.text)).toEqual([]);
  });

  it('share no message with the test set, not even a near copy (trigram overlap under 0.6)', () => {
    expect(copiesOf(written, readCustomerMessages())).toEqual({ copies: [], near: [] });
  });

  it('share no message with the written hold-out, which is never trained on (trigram overlap under 0.6)', () => {
    const holdout = readWrittenHoldout();
    expect(holdout.length).toBeGreaterThanOrEqual(900);
    expect(copiesOf(written, holdout)).toEqual({ copies: [], near: [] });
  });

  it('enter training as the source "written", a fifth locked by the same hash as every source', () => {
    const rows = loadWrittenRows();
    expect(rows.every((r) => r.src === 'written' && (r.gold.lang === 'en' || r.gold.lang === 'zh'))).toBe(true);
    const locked = rows.filter((r) => r.locked).length / rows.length;
    expect(locked).toBeGreaterThan(0.15);
    expect(locked).toBeLessThan(0.25);
    expect(new Set(rows.map((r) => r.fold))).toEqual(new Set([0, 1, 2, 3, 4]));
  });
});
