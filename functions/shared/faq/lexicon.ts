/**
 * The synonym lexicon: concepts, each with its Chinese and English wordings ("年费" ↔ "annual fee",
 * "网银" ↔ "网上银行"). A wording found in a text adds the concept as one more term, so a question and an
 * entry that word the same thing differently (in one language or across the two) share that term.
 * It is data (`lexicon.json`) a bank extends with its own products and slang (`mergeLexicons`); the
 * index keeps the lexicon it was built with, so questions are always read with the same one.
 *
 * Chinese wordings (and any wording with a Han character, "IC卡", "U盾") match as substrings of the
 * normalised text; English ones match as runs of stems over the text's content words, so "lost my card",
 * "card lost" and "lost cards" meet the wordings "lost card" / "card lost" without listing each form.
 */
import * as z from 'zod/mini';
import { normaliseFaqText, wordTokens, type TermOccurrence, type WordToken } from './text.ts';

/** One concept of the lexicon as a bank writes it. */
export interface LexiconConcept {
  /** Stable id (`annual_fee`): the term is `#<id>`. */
  id: string;
  zh?: string[];
  en?: string[];
}

/** The lexicon as stored (lexicon.json, or inside a serialised index). */
export interface Lexicon {
  concepts: LexiconConcept[];
}

const Wordings = z.optional(z.array(z.string().check(z.trim(), z.minLength(1), z.maxLength(60))).check(z.maxLength(50)));
/** Schema of a lexicon file: ids are lower-case words, every concept has at least one wording. */
export const LexiconSchema = z.object({
  concepts: z.array(
    z.object({ id: z.string().check(z.regex(/^[a-z0-9_]{1,40}$/, 'lower-case letters, digits and _ only')), zh: Wordings, en: Wordings }),
  ).check(z.maxLength(5000)),
});

/** What the matcher reads: Chinese wordings by first character, English stem runs by first stem. */
export interface CompiledLexicon {
  readonly source: Lexicon;
  readonly zhByFirst: ReadonlyMap<string, ReadonlyArray<{ pattern: string; concept: string }>>;
  readonly enByFirst: ReadonlyMap<string, ReadonlyArray<{ stems: string[]; concept: string }>>;
}

const HAN = /[\u3400-\u9fff\uf900-\ufaff]/;

/** Validates a lexicon and reports every problem (duplicate ids, wordings that are only stop words). */
export function validateLexicon(value: unknown): { lexicon: Lexicon } | { errors: string[] } {
  const parsed = LexiconSchema.safeParse(value);
  if (!parsed.success) return { errors: parsed.error.issues.map((i) => `${i.path.join('.') || '(lexicon)'}: ${i.message}`) };
  const errors: string[] = [];
  const seen = new Set<string>();
  parsed.data.concepts.forEach((c, i) => {
    if (seen.has(c.id)) errors.push(`concepts.${i}.id: "${c.id}" is used twice`);
    seen.add(c.id);
    if (!c.zh?.length && !c.en?.length) errors.push(`concepts.${i}: "${c.id}" has no wording`);
    (c.en ?? []).forEach((w, j) => {
      if (!HAN.test(w) && wordTokens(normaliseFaqText(w)).length === 0) errors.push(`concepts.${i}.en.${j}: "${w}" has only stop words`);
    });
  });
  return errors.length ? { errors } : { lexicon: parsed.data as Lexicon };
}

/** A bank's additions on top of a base lexicon: new concepts appended, wordings of known ids added. */
export function mergeLexicons(base: Lexicon, extra: Lexicon): Lexicon {
  const byId = new Map(base.concepts.map((c) => [c.id, { id: c.id, zh: [...(c.zh ?? [])], en: [...(c.en ?? [])] }]));
  for (const c of extra.concepts) {
    const into = byId.get(c.id) ?? { id: c.id, zh: [], en: [] };
    for (const w of c.zh ?? []) if (!into.zh.includes(w)) into.zh.push(w);
    for (const w of c.en ?? []) if (!into.en.includes(w)) into.en.push(w);
    byId.set(c.id, into);
  }
  return { concepts: [...byId.values()] };
}

/** Prepares a (valid) lexicon for matching. */
export function compileLexicon(lexicon: Lexicon): CompiledLexicon {
  const zh = new Map<string, Array<{ pattern: string; concept: string }>>();
  const en = new Map<string, Array<{ stems: string[]; concept: string }>>();
  for (const c of lexicon.concepts) {
    for (const w of [...(c.zh ?? []), ...(c.en ?? [])]) {
      const n = normaliseFaqText(w).trim();
      if (HAN.test(n)) {
        const pattern = n.replace(/\s+/g, '');
        const list = zh.get(pattern[0]!) ?? [];
        if (!list.some((p) => p.pattern === pattern && p.concept === c.id)) list.push({ pattern, concept: c.id });
        zh.set(pattern[0]!, list);
      } else {
        const stems = wordTokens(n).map((t) => t.stem);
        if (!stems.length) continue;
        const list = en.get(stems[0]!) ?? [];
        list.push({ stems, concept: c.id });
        en.set(stems[0]!, list);
      }
    }
  }
  for (const list of zh.values()) list.sort((a, b) => b.pattern.length - a.pattern.length);
  for (const list of en.values()) list.sort((a, b) => b.stems.length - a.stems.length);
  return { source: lexicon, zhByFirst: zh, enByFirst: en };
}

/**
 * The concepts a normalised text mentions, as `#id` terms with the span of the wording that matched.
 * A match inside a longer match is dropped ("银行" inside "网上银行"), overlapping ones are both kept
 * ("手机银行卡": mobile banking and bank card), and a concept is counted once per span.
 */
export function matchConcepts(normalised: string, words: readonly WordToken[], lexicon: CompiledLexicon): TermOccurrence[] {
  const found: TermOccurrence[] = [];
  for (let i = 0; i < normalised.length; i++) {
    const list = lexicon.zhByFirst.get(normalised[i]!);
    if (!list) continue;
    for (const { pattern, concept } of list) {
      if (normalised.startsWith(pattern, i)) found.push({ term: `#${concept}`, kind: 'concept', start: i, end: i + pattern.length });
    }
  }
  for (let i = 0; i < words.length; i++) {
    for (const { stems, concept } of lexicon.enByFirst.get(words[i]!.stem) ?? []) {
      if (i + stems.length > words.length) continue;
      if (stems.every((s, k) => words[i + k]!.stem === s)) found.push({ term: `#${concept}`, kind: 'concept', start: words[i]!.start, end: words[i + stems.length - 1]!.end });
    }
  }
  return dropContained(found);
}

/** Keeps each concept once per span, and no span that lies strictly inside another match. */
function dropContained(found: TermOccurrence[]): TermOccurrence[] {
  const out: TermOccurrence[] = [];
  const seen = new Set<string>();
  for (const f of found) {
    const key = `${f.term}@${f.start}:${f.end}`;
    if (seen.has(key)) continue;
    const inside = found.some((g) => g.start <= f.start && g.end >= f.end && g.end - g.start > f.end - f.start);
    if (!inside) {
      seen.add(key);
      out.push(f);
    }
  }
  return out;
}
