/**
 * RFC 4180 CSV: quoted fields with doubled quotes, commas and line breaks inside quotes, CRLF or LF, a
 * leading UTF-8 BOM. Hand-written (about forty lines) rather than a 28 KB dependency in the admin bundle;
 * unlike a lenient parser it rejects what a spreadsheet would not have written, naming the line.
 */
import { FaqError } from './errors.ts';

/** A CSV syntax error: the line (1-based, physical) where it was found. */
export class CsvSyntaxError extends FaqError {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'CsvSyntaxError';
  }
}

/** One record: its fields and the physical line it starts on. */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/** Parses CSV text into records (blank lines skipped). Throws CsvSyntaxError on a malformed quote. */
export function parseCsvRecords(text: string): CsvRecord[] {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let start = 1;
  let i = 0;
  let blank = true; // nothing read in this record yet: a blank line is skipped, `""` is not blank
  const endRecord = (): void => {
    fields.push(field);
    if (!blank) records.push({ line: start, fields });
    fields = [];
    field = '';
    blank = true;
  };
  while (i < src.length) {
    const c = src[i]!;
    if (c !== '\r' && c !== '\n') blank = false;
    if (c === '"' && field === '') {
      // A quoted field: up to the closing quote; "" is a quote; then a separator must follow.
      const opened = line;
      i++;
      for (;;) {
        if (i >= src.length) throw new CsvSyntaxError(opened, 'a quoted field is never closed');
        const q = src[i]!;
        if (q === '"' && src[i + 1] === '"') (field += '"'), (i += 2);
        else if (q === '"') break;
        else {
          if (q === '\n') line++;
          field += q;
          i++;
        }
      }
      i++;
      const next = src[i];
      if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') throw new CsvSyntaxError(line, 'text after a closing quote (a quote inside a field must be doubled)');
    } else if (c === ',') (fields.push(field), (field = ''), i++);
    else if (c === '\r' || c === '\n') {
      i += c === '\r' && src[i + 1] === '\n' ? 2 : 1;
      endRecord();
      line++;
      start = line;
    } else if (c === '"') throw new CsvSyntaxError(line, 'a quote inside an unquoted field (quote the whole field and double the quote)');
    else (field += c), i++;
  }
  if (!blank) endRecord();
  return records;
}
