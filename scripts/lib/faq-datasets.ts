/**
 * The FAQ evaluation's data, read in place from ../shared/datasets (never copied; the two FAQ sets have no
 * licence): the UnionPay and Jining FAQs with their paraphrased questions, and questions the FAQs do not
 * answer (CCF negative comments, BANKING77 inquiries on e-money topics neither FAQ covers).
 *
 * The locked fold is the project's fixed held-out split (fold 0 of `foldOf` in datasets.ts: FNV-1a of
 * `redress-split:<source>:<lower-cased text>`, fold 0 of 5, about one question in five). Nothing in it is
 * used to choose parameters, lexicon wordings or the calibration; those use folds 1–4 (the tuning fold).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readJiningFaq, readUnionpayFaq, type FaqDataset } from '../../functions/shared/faq/sample/dataset-formats.ts';
import { foldOf, parseCsv, type SourceName } from './datasets.ts';

export { datasetsDir } from './datasets.ts';

/** A question in the evaluation, with where it belongs. */
export interface EvalQuestion {
  text: string;
  /** The entry that answers it, or null for a question the FAQ does not answer. */
  faqId: string | null;
  locked: boolean;
  source: string;
}

/** BANKING77 intents about e-money features neither Chinese FAQ has (top-ups, virtual cards, …). */
export const OUT_OF_FAQ_B77_INTENTS = new Set([
  'automatic_top_up', 'pending_top_up', 'top_up_by_bank_transfer_charge', 'top_up_limits', 'top_up_reverted', 'topping_up_by_card',
  'top_up_by_cash_or_cheque', 'top_up_failed', 'verify_top_up', 'top_up_by_card_charge', 'get_disposable_virtual_card', 'disposable_card_limits',
  'getting_virtual_card', 'virtual_card_not_working', 'age_limit', 'fiat_currency_support', 'exchange_via_app', 'verify_source_of_funds',
  'why_verify_identity', 'getting_spare_card', 'visa_or_mastercard', 'edit_personal_details', 'card_delivery_estimate', 'card_arrival',
  'lost_or_stolen_phone', 'beneficiary_not_allowed',
]);

// The FAQ's own locked fold stays fold 0 of the split it was tuned against (the classifier's locked fold,
// `isLocked`, has a salt of its own since the classifier branch).
const locked = (src: SourceName, text: string): boolean => foldOf(src, text.trim()) === 0;

/** The UnionPay FAQ (745 canonical questions) and its paraphrases, split. */
export function loadUnionpay(dir: string): FaqDataset & { questions: EvalQuestion[] } {
  const set = readUnionpayFaq(readFileSync(join(dir, 'unionpay_faq_zh', 'data.txt'), 'utf8'));
  return { ...set, questions: set.paraphrases.map((p) => ({ ...p, locked: locked('unionpay', p.text), source: 'unionpay' })) };
}

/** The Jining FAQ (canonical questions of text answers) and its extended questions, split. */
export function loadJining(dir: string): FaqDataset & { questions: EvalQuestion[] } {
  const base = join(dir, 'jining_bank_faq_zh');
  const set = readJiningFaq(readFileSync(join(base, 'origin_quest_label.txt'), 'utf8'), readFileSync(join(base, 'all_quest_label.txt'), 'utf8'));
  return { ...set, questions: set.paraphrases.map((p) => ({ ...p, locked: locked('jining', p.text), source: 'jining' })) };
}

/** Questions no entry answers: CCF negative comments (complaints) and out-of-scope BANKING77 inquiries. */
export function loadOutOfFaq(dir: string): EvalQuestion[] {
  const out: EvalQuestion[] = [];
  const ccf = join(dir, 'ccf_bdci2021_bank_comments_zh', 'train_data_public.csv');
  if (existsSync(ccf)) {
    for (const r of parseCsv(readFileSync(ccf, 'utf8'))) {
      const t = (r.text ?? '').trim();
      if (r.class === '0' && t) out.push({ text: t, faqId: null, locked: locked('ccf', t), source: 'ccf-complaints' });
    }
  }
  const b77 = join(dir, 'banking77', 'train.csv');
  if (existsSync(b77)) {
    for (const r of parseCsv(readFileSync(b77, 'utf8'))) {
      const t = (r.text ?? '').trim();
      if (OUT_OF_FAQ_B77_INTENTS.has(r.category ?? '') && t) out.push({ text: t, faqId: null, locked: locked('b77', t), source: 'b77-out-of-faq' });
    }
  }
  return out;
}
