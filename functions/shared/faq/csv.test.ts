import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CsvSyntaxError, parseCsvRecords } from './csv.ts';

const fields = (text: string) => parseCsvRecords(text).map((r) => r.fields);

describe('CSV', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks', () => {
    expect(fields('a,b\n"x, y","say ""hi""\nagain"\n')).toEqual([['a', 'b'], ['x, y', 'say "hi"\nagain']]);
  });

  it('accepts CRLF, a BOM and a missing final newline', () => {
    expect(fields('\uFEFFid,q\r\n1,年费\r\n2,挂失')).toEqual([['id', 'q'], ['1', '年费'], ['2', '挂失']]);
  });

  it('skips blank lines but keeps a record of one empty quoted field', () => {
    expect(fields('a\n\n\r\n""\nb\n')).toEqual([['a'], [''], ['b']]);
  });

  it('keeps empty fields', () => {
    expect(fields(',,\n')).toEqual([['', '', '']]);
  });

  it('numbers each record by the line it starts on', () => {
    expect(parseCsvRecords('h\n"two\nlines"\nthird\n').map((r) => r.line)).toEqual([1, 2, 4]);
  });

  it('names the line of a quoted field that is never closed', () => {
    expect(() => parseCsvRecords('h\nok\n"open\nstill open')).toThrow(new CsvSyntaxError(3, 'a quoted field is never closed'));
  });

  it('rejects a quote inside an unquoted field, and text after a closing quote', () => {
    expect(() => parseCsvRecords('a,b"c\n')).toThrow(/line 1: a quote inside an unquoted field/);
    expect(() => parseCsvRecords('h\n"a"b\n')).toThrow(/line 2: text after a closing quote/);
  });

  it('reads back whatever a careful writer wrote', () => {
    const quote = (f: string) => (/[",\r\n]/.test(f) || f === '' ? `"${f.replace(/"/g, '""')}"` : f);
    fc.assert(
      fc.property(fc.array(fc.array(fc.string({ maxLength: 12 }), { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 6 }), (rows) => {
        const text = rows.map((r) => r.map(quote).join(',')).join('\r\n');
        expect(fields(text)).toEqual(rows);
      }),
    );
  });
});
