import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { FieldError } from '../errors.ts';
import { FaqInvalidError } from './errors.ts';
import { parseFaqUpload } from './upload.ts';

const problems = (body: string, format: 'json' | 'csv'): FieldError[] => {
  try {
    parseFaqUpload(body, format);
  } catch (err) {
    if (err instanceof FaqInvalidError) return err.errors ?? [];
    throw err;
  }
  return [];
};

describe('FAQ uploads', () => {
  it('reads a JSON array and trims text', () => {
    expect(parseFaqUpload(JSON.stringify([{ id: 'fee-1', question: ' 年费？ ', answer: '首年免年费。', language: 'zh', category: 'fees' }]), 'json')).toEqual([
      { id: 'fee-1', question: '年费？', answer: '首年免年费。', language: 'zh', category: 'fees' },
    ]);
  });

  it('reads {"entries": [...]} too', () => {
    expect(parseFaqUpload(JSON.stringify({ entries: [{ id: 'a', question: 'q', answer: 'a', language: 'en' }] }), 'json')).toHaveLength(1);
  });

  it('names the entry and field of every JSON problem', () => {
    const body = JSON.stringify([{ id: 'ok', question: 'q', answer: 'a', language: 'en' }, { id: 'bad id!', question: '', answer: 'a', language: 'fr', colour: 'red' }]);
    expect(problems(body, 'json').map((e) => e.field).sort()).toEqual(['entries.1', 'entries.1.id', 'entries.1.language', 'entries.1.question']);
  });

  it('rejects JSON that is not JSON, or not a list', () => {
    expect(problems('{', 'json')).toEqual([{ field: '(body)', message: 'not valid JSON' }]);
    expect(problems('{"id":1}', 'json')[0]?.message).toMatch(/expected an array/);
  });

  it('reads CSV with an optional category and phrasing columns', () => {
    const csv = 'id,question,answer,language,category,phrasings,phrasing_2\r\nfee,年费怎么收？,"首年免年费,次年刷卡6次免。",zh,,"年费多少\n年费能免吗",免年费\r\n';
    expect(parseFaqUpload(csv, 'csv')).toEqual([{ id: 'fee', question: '年费怎么收？', answer: '首年免年费,次年刷卡6次免。', language: 'zh', phrasings: ['年费多少', '年费能免吗', '免年费'] }]);
  });

  it('names the spreadsheet row and the column of each CSV problem', () => {
    const csv = 'id,question,answer,language\na,q,a,en\nb,,a,xx\n';
    expect(problems(csv, 'csv')).toEqual([
      { field: 'row.3.question', message: 'must not be empty' },
      { field: 'row.3.language', message: 'must be "zh" or "en"' },
    ]);
  });

  it('names missing, unknown and repeated columns', () => {
    expect(problems('id,question,anwser,language,language\n', 'csv').map((e) => e.field)).toEqual(['row.1', 'row.1.anwser', 'row.1.language']);
  });

  it('rejects an id used twice, naming both places', () => {
    expect(problems('id,question,answer,language\na,q,x,en\na,q2,y,en\n', 'csv')).toEqual([{ field: 'row.3.id', message: 'id "a" is already used by row.2' }]);
  });

  it('rejects a row with more fields than the header', () => {
    expect(problems('id,question,answer,language\na,q,x,en,extra\n', 'csv')).toEqual([{ field: 'row.2', message: 'more fields than the header has columns (4)' }]);
  });

  it('reports a CSV syntax error by line', () => {
    expect(problems('id,question,answer,language\na,"q,x,en\n', 'csv')[0]).toEqual({ field: 'line.2', message: 'line 2: a quoted field is never closed' });
  });

  it('answers any body with entries or a 400, never anything else', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.constantFrom('json' as const, 'csv' as const), (body, format) => {
        try {
          parseFaqUpload(body, format);
        } catch (err) {
          expect(err).toBeInstanceOf(FaqInvalidError);
        }
      }),
    );
  });
});
