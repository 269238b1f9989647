/**
 * Reading a FAQ upload (`PUT /admin/faq`): JSON (an array of entries, or `{entries: [...]}`) or CSV with a
 * header row `id,question,answer,language[,category][,phrasings | phrasing_1,phrasing_2,…]`. Every problem is
 * reported at once, each naming where it is: `entries.3.language` for JSON, `row.5.language` for CSV (row 1
 * is the header, so the number is the spreadsheet's row). A bad upload changes nothing: the route answers 400.
 */
import type { FieldError } from '../errors.ts';
import { FaqInvalidError } from './errors.ts';
import { CsvSyntaxError, parseCsvRecords } from './csv.ts';
import { FAQ_LIMITS, FaqEntrySchema, type FaqEntry } from './entry.ts';

/** The most field errors one answer lists (a wrong file would otherwise list thousands). */
export const MAX_REPORTED_ERRORS = 50;

const REQUIRED_COLUMNS = ['id', 'question', 'answer', 'language'] as const;
const PHRASING_COLUMN = /^phrasings?(?:[ _-]?\d+)?$/;

/** Parses and validates an upload; throws FaqInvalidError (400, field errors) when anything is wrong. */
export function parseFaqUpload(body: string, format: 'json' | 'csv'): FaqEntry[] {
  const { entries, errors } = format === 'json' ? readJson(body) : readCsv(body);
  if (entries.length > FAQ_LIMITS.entries) errors.unshift({ field: '(body)', message: `at most ${FAQ_LIMITS.entries} entries (got ${entries.length})` });
  if (errors.length) throw new FaqInvalidError(`Invalid FAQ upload: ${errors.length} problem${errors.length > 1 ? 's' : ''}.`, errors.slice(0, MAX_REPORTED_ERRORS));
  return entries.map((e) => e.entry);
}

interface Read {
  entries: Array<{ entry: FaqEntry; where: string }>;
  errors: FieldError[];
}

function readJson(body: string): Read {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return { entries: [], errors: [{ field: '(body)', message: 'not valid JSON' }] };
  }
  const list = Array.isArray(value) ? value : value && typeof value === 'object' && Array.isArray((value as { entries?: unknown }).entries) ? (value as { entries: unknown[] }).entries : null;
  if (!list) return { entries: [], errors: [{ field: '(body)', message: 'expected an array of entries or {"entries": [...]}' }] };
  return validateAll(list.map((raw, i) => ({ raw, where: `entries.${i}` })));
}

function readCsv(body: string): Read {
  let records;
  try {
    records = parseCsvRecords(body);
  } catch (err) {
    if (err instanceof CsvSyntaxError) return { entries: [], errors: [{ field: `line.${err.line}`, message: err.message }] };
    throw err;
  }
  const [header, ...rows] = records;
  if (!header) return { entries: [], errors: [{ field: '(body)', message: 'the CSV is empty (expected a header row)' }] };
  const columns = header.fields.map((h) => h.trim().toLowerCase());
  const errors: FieldError[] = [];
  for (const c of REQUIRED_COLUMNS) if (!columns.includes(c)) errors.push({ field: 'row.1', message: `missing column "${c}"` });
  columns.forEach((c, i) => {
    if (!['id', 'question', 'answer', 'language', 'category'].includes(c) && !PHRASING_COLUMN.test(c)) errors.push({ field: `row.1.${c || i + 1}`, message: `unknown column "${header.fields[i]}" (expected id, question, answer, language, category, phrasings)` });
    if (columns.indexOf(c) !== i) errors.push({ field: `row.1.${c}`, message: `column "${c}" appears twice` });
  });
  if (errors.length) return { entries: [], errors };
  const items = rows.map((r, n) => {
    const raw: Record<string, unknown> = {};
    const phrasings: string[] = [];
    columns.forEach((c, i) => {
      const cell = r.fields[i] ?? '';
      if (PHRASING_COLUMN.test(c)) phrasings.push(...(c === 'phrasings' ? cell.split(/\r?\n/) : [cell]).map((p) => p.trim()).filter(Boolean));
      else if (c !== 'category' || cell.trim() !== '') raw[c] = cell;
    });
    if (phrasings.length) raw.phrasings = phrasings;
    return { raw, where: `row.${n + 2}`, extra: r.fields.length > columns.length };
  });
  const read = validateAll(items);
  items.forEach((it) => it.extra && read.errors.push({ field: it.where, message: `more fields than the header has columns (${columns.length})` }));
  return read;
}

/** Validates each entry (errors named `<where>.<field>`) and rejects ids used twice. */
function validateAll(items: Array<{ raw: unknown; where: string }>): Read {
  const entries: Read['entries'] = [];
  const errors: FieldError[] = [];
  const firstWhere = new Map<string, string>();
  for (const { raw, where } of items) {
    const r = FaqEntrySchema.safeParse(raw);
    if (!r.success) {
      for (const issue of r.error.issues) errors.push({ field: [where, ...issue.path.map(String)].join('.'), message: issue.message });
      continue;
    }
    const entry = r.data as FaqEntry;
    const seen = firstWhere.get(entry.id);
    if (seen) errors.push({ field: `${where}.id`, message: `id "${entry.id}" is already used by ${seen}` });
    else firstWhere.set(entry.id, where);
    entries.push({ entry, where });
  }
  return { entries, errors };
}
