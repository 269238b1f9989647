/**
 * Readers for the two Chinese FAQ sets in ../shared/datasets (UnionPay customer service, Bank of Jining
 * chatbot KB). They turn the files, read at run time, into FAQ entries (the sets' canonical questions and
 * answers) and into the paraphrased questions the evaluation asks. Nothing from these sets is committed:
 * they have no licence (../shared/datasets/README.md).
 */
import type { FaqEntry } from '../entry.ts';

/** A paraphrased question with the id of the entry that answers it. */
export interface LabelledQuestion {
  text: string;
  faqId: string;
}

/** One FAQ set: its entries and the paraphrases of their questions. */
export interface FaqDataset {
  entries: FaqEntry[];
  paraphrases: LabelledQuestion[];
}

/**
 * UnionPay `data.txt`: blocks of `question`, `answer`, `label ID`, `label` (the canonical FAQ question)
 * and `subject`. One entry per label (its first answer; the subject's topic as category); every question
 * that is not the label itself is a paraphrase of that entry.
 */
export function readUnionpayFaq(dataTxt: string): FaqDataset {
  const entries = new Map<string, FaqEntry>();
  const paraphrases: LabelledQuestion[] = [];
  let block: Record<string, string> = {};
  for (const raw of dataTxt.split('\n')) {
    const line = raw.replace(/\r$/, '').replace(/^\uFEFF/, '');
    const m = /^\s+(question|answer|label|subject)( ID)?\s*:(.*)$/.exec(line);
    if (m) block[`${m[1]}${m[2] ? 'Id' : ''}`] = m[3]!.replace(/^\uFEFF/, '').trim();
    else if (line.startsWith('}')) {
      const { question, answer, labelId, label, subject } = block;
      block = {};
      if (!question || !answer || !labelId || !label) continue;
      const id = `unionpay-${labelId}`;
      if (!entries.has(id)) entries.set(id, { id, question: label, answer, language: 'zh', ...(subject ? { category: unionpayTopic(subject) } : {}) });
      if (question !== label) paraphrases.push({ text: question, faqId: id });
    }
  }
  return { entries: [...entries.values()], paraphrases };
}

/** `银联二期_基本业务_IC卡业务_FAQ` → `基本业务_IC卡业务`. */
function unionpayTopic(subject: string): string {
  return subject.replace(/^银联二期_/, '').replace(/_(FAQ|Tree)$/i, '').slice(0, 64);
}

/** A Jining answer that is a menu / function code (`101000`, `WX0145`, `LB0101`) rather than text. */
export const isJiningCode = (answer: string): boolean => /^(?:\d{6}|WX|LB)/.test(answer.trim());

/** Tab-separated `question<TAB>answer` rows, headers skipped. */
function jiningRows(text: string): Array<[string, string]> {
  const rows: Array<[string, string]> = [];
  for (const raw of text.split('\n')) {
    const [q, a] = raw.replace(/\r$/, '').split('\t');
    if (!q?.trim() || !a?.trim() || q === '问题' || q === '扩展问题') continue;
    rows.push([q.trim(), a.trim()]);
  }
  return rows;
}

/**
 * Jining `origin_quest_label.txt` (canonical questions → answer) and, when given, `all_quest_label.txt`
 * (every question, extended ones included). One entry per text answer: its first canonical question is the
 * question, the others are phrasings; code answers are left out (they open an app screen, they are not an
 * answer a customer can read). Extended questions (not canonical) of text answers are the paraphrases.
 */
export function readJiningFaq(originTxt: string, allTxt?: string): FaqDataset {
  const byAnswer = new Map<string, FaqEntry>();
  const canonical = new Set<string>();
  for (const [q, a] of jiningRows(originTxt)) {
    canonical.add(q);
    if (isJiningCode(a)) continue;
    const e = byAnswer.get(a);
    if (!e) byAnswer.set(a, { id: `jining-${byAnswer.size + 1}`, question: q, answer: a, language: 'zh' });
    else if (q !== e.question && !(e.phrasings ?? []).includes(q)) e.phrasings = [...(e.phrasings ?? []), q];
  }
  const paraphrases: LabelledQuestion[] = [];
  for (const [q, a] of allTxt ? jiningRows(allTxt) : []) {
    const e = byAnswer.get(a);
    if (e && !canonical.has(q)) paraphrases.push({ text: q, faqId: e.id });
  }
  return { entries: [...byAnswer.values()], paraphrases };
}
