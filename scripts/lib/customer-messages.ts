/**
 * The realistic test set: bank customers' messages written for Redress (test/fixtures/customer-messages/,
 * its README says how), labelled with the kind, category and minimum severity a bank would give them, the
 * fraud flag and the language. Half of it is locked by a hash of the text (`isLockedMessage`): no rule,
 * cue or threshold is chosen by looking at those messages; the other half (dev) may be read.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CATEGORIES, KINDS, SEVERITIES, type Category, type Classification, type Kind, type Severity } from '../../schemas/feedback.ts';
import { triageReason } from '../../functions/shared/classification/triage.ts';

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Where the set lives. */
export const CUSTOMER_MESSAGES_PATH = join(projectRoot, 'test', 'fixtures', 'customer-messages', 'messages.tsv');

/** How the message is written: Simplified or Traditional Chinese, Cantonese, English, or a language outside the classifier's. */
export type Variety = 'zh-Hans' | 'zh-Hant' | 'yue' | 'en' | 'vi' | 'ja' | 'ko';

/** One labelled message. */
export interface CustomerMessage {
  variety: Variety;
  kind: Kind;
  category: Category;
  /** The least severity a bank would set (a higher one is fine). */
  minSeverity: Severity;
  /** The customer reports fraud (the classifier should file it under fraud_security). */
  fraud: boolean;
  text: string;
  locked: boolean;
}

/** The language the classifier should report for a variety. */
export const languageOf = (v: Variety): string => (v === 'en' ? 'en' : v === 'vi' || v === 'ja' || v === 'ko' ? v : 'zh');

/** Half the messages, by a SHA-256 of the text under its own salt, are locked. */
export function isLockedMessage(text: string): boolean {
  return createHash('sha256').update(`redress-customer-messages-locked-v1:${text}`).digest()[0]! % 2 === 0;
}

/** Read and check the set (tab-separated: variety, kind, category, min severity, fraud yes/no, text). */
export function readCustomerMessages(path = CUSTOMER_MESSAGES_PATH): CustomerMessage[] {
  const out: CustomerMessage[] = [];
  readFileSync(path, 'utf8').split('\n').forEach((line, i) => {
    if (!line.trim() || line.startsWith('#')) return;
    const [variety, kind, category, minSeverity, fraud, text, ...rest] = line.split('\t');
    const where = `${path}:${i + 1}`;
    if (rest.length || !text) throw new Error(`${where}: expected six tab-separated columns`);
    if (!['zh-Hans', 'zh-Hant', 'yue', 'en', 'vi', 'ja', 'ko'].includes(variety!)) throw new Error(`${where}: unknown variety ${variety}`);
    if (!(KINDS as readonly string[]).includes(kind!)) throw new Error(`${where}: unknown kind ${kind}`);
    if (!(CATEGORIES as readonly string[]).includes(category!)) throw new Error(`${where}: unknown category ${category}`);
    if (!(SEVERITIES as readonly string[]).includes(minSeverity!)) throw new Error(`${where}: unknown severity ${minSeverity}`);
    if (fraud !== 'yes' && fraud !== 'no') throw new Error(`${where}: fraud must be yes or no`);
    out.push({ variety: variety as Variety, kind: kind as Kind, category: category as Category, minSeverity: minSeverity as Severity, fraud: fraud === 'yes', text: text!, locked: isLockedMessage(text!) });
  });
  return out;
}

/** The figures issue 13 sets for the set, with their targets. */
export interface CustomerFigures {
  n: number;
  /** Complaints classified as complaints or sent to triage (target ≥ 0.97). */
  complaintsCaught: number;
  /** Complaints classified as praise (target 0). */
  complaintsAsPraise: number;
  kind: number;
  category: number;
  /** The bank's minimum severity reached, on messages a bank would set above low (target ≥ 0.85). */
  severity: number;
  /** Fraud reports filed under fraud_security (target ≥ 0.90). */
  fraud: number;
  language: number;
  /** Non-complaints sent to triage. */
  triageLoad: number;
}

/** Score classifications of the set. */
export function customerFigures(scored: { m: CustomerMessage; c: Classification }[], threshold: number): CustomerFigures {
  const share = <T>(xs: T[], f: (x: T) => boolean): number => (xs.length ? xs.filter(f).length / xs.length : NaN);
  const complaints = scored.filter((s) => s.m.kind === 'complaint');
  const others = scored.filter((s) => s.m.kind !== 'complaint');
  const triaged = (c: Classification): boolean => triageReason(c, { threshold }) !== undefined;
  return {
    n: scored.length,
    complaintsCaught: share(complaints, (s) => s.c.kind === 'complaint' || triaged(s.c)),
    complaintsAsPraise: complaints.filter((s) => s.c.kind === 'praise').length,
    kind: share(scored, (s) => s.c.kind === s.m.kind),
    category: share(scored, (s) => s.c.category === s.m.category),
    severity: share(scored.filter((s) => s.m.minSeverity !== 'low'), (s) => SEVERITIES.indexOf(s.c.severity) >= SEVERITIES.indexOf(s.m.minSeverity)),
    fraud: share(scored.filter((s) => s.m.fraud), (s) => s.c.category === 'fraud_security'),
    language: share(scored, (s) => s.c.language === languageOf(s.m.variety)),
    triageLoad: share(others, (s) => triaged(s.c)),
  };
}
