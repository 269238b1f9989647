/**
 * The bank's own labels: handlers' reclassifications exported from the store, for measuring the classifier
 * in production (`npm run eval:classifier -- --from-overrides FILE`) and retraining with them
 * (`npm run train:classifier -- --extra FILE`).
 *
 * File format: JSON lines (UTF-8, one object a line; blank lines and lines starting with `#` are skipped).
 * Each line is either a stored feedback item as the admin API returns it (`GET /admin/feedback/{id}`), whose
 * `classification.override` holds the handler's labels (`{kind, category, severity, by, at, reason?}`), or
 * a flat record `{"text": "...", "kind": "...", "category"?: "...", "severity"?: "..."}`. `text` is the stored
 * (already PII-masked) text; `subject` and `language` are read when present. Items without an override are
 * skipped: only a handler's decision is a label.
 */
import { readFileSync } from 'node:fs';
import { CATEGORIES, KINDS, SEVERITIES, type Category, type Kind, type Severity } from '../../schemas/feedback.ts';
import { detectLanguage } from '../../functions/shared/classification/decide-language.ts';
import { foldOf, isLocked, type LabelledRow } from './datasets.ts';

/** A handler's labels for one stored text. */
export interface OverrideRecord {
  text: string;
  kind: Kind;
  category?: Category;
  severity?: Severity;
}

const isKind = (v: unknown): v is Kind => typeof v === 'string' && (KINDS as readonly string[]).includes(v);
const isCategory = (v: unknown): v is Category => typeof v === 'string' && (CATEGORIES as readonly string[]).includes(v);
const isSeverity = (v: unknown): v is Severity => typeof v === 'string' && (SEVERITIES as readonly string[]).includes(v);

/** Read one line's labels, or null when the line carries no handler's decision. Throws on a malformed line. */
export function parseOverrideLine(line: string, lineNo: number): OverrideRecord | null {
  const value = JSON.parse(line) as Record<string, unknown>;
  const text = [value.subject, value.text].filter((t): t is string => typeof t === 'string' && t.length > 0).join('\n');
  if (!text) throw new Error(`line ${lineNo}: no text`);
  const classification = value.classification as { override?: Record<string, unknown> } | undefined;
  const labels = classification && typeof classification === 'object' ? classification.override : 'kind' in value ? value : undefined;
  if (!labels) return null;
  if (!isKind(labels.kind)) throw new Error(`line ${lineNo}: kind must be one of ${KINDS.join(', ')}`);
  if (labels.category !== undefined && !isCategory(labels.category)) throw new Error(`line ${lineNo}: category must be one of ${CATEGORIES.join(', ')}`);
  if (labels.severity !== undefined && !isSeverity(labels.severity)) throw new Error(`line ${lineNo}: severity must be one of ${SEVERITIES.join(', ')}`);
  return { text, kind: labels.kind, ...(isCategory(labels.category) ? { category: labels.category } : {}), ...(isSeverity(labels.severity) ? { severity: labels.severity } : {}) };
}

/** The override file's records as labelled rows (source `bank`), split into folds by the same hashes as the datasets. */
export function readOverrides(file: string): LabelledRow[] {
  const rows: LabelledRow[] = [];
  readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
    if (!line.trim() || line.trimStart().startsWith('#')) return;
    const record = parseOverrideLine(line, i + 1);
    if (!record) return;
    const lang = detectLanguage(record.text).language === 'zh' ? 'zh' : 'en';
    rows.push({
      src: 'bank',
      text: record.text,
      gold: { cats: record.category ? [record.category] : null, kinds: [record.kind], severity: record.severity ?? null, lang },
      locked: isLocked('bank', record.text),
      fold: foldOf('bank', record.text),
    });
  });
  return rows;
}
