/**
 * The stored form of a FAQ index: a JSON header (entries, lexicon, parameters, the term list) and each
 * document's term ids and counts as delta-coded varints, Brotli-compressed together
 * (`<header length: 4 bytes><header JSON><varints>`). Lengths, idf and
 * postings are derived again on load (`assembleIndex`, a few milliseconds), so they cost no storage.
 * The whole snapshot is what a function needs to answer suggestions: one read, one decompress.
 */
import { brotliCompressSync, brotliDecompressSync, constants as zlibConstants } from 'node:zlib';
import type { FaqEntry } from './entry.ts';
import { assembleIndex, type DocTerms, type FaqIndex, type RetrievalParams } from './faq-index.ts';
import { compileLexicon, type Lexicon } from './lexicon.ts';

const FORMAT = 'redress-faq-index';
const FORMAT_VERSION = 1;

interface StoredIndex {
  format: typeof FORMAT;
  version: number;
  params: RetrievalParams;
  lexicon: Lexicon;
  entries: FaqEntry[];
  terms: string[];
}
/* After the header, varints: per document its entry, field, number of terms, then (term id delta, count) pairs. */

/** The index as bytes (Brotli over JSON). */
export function encodeFaqIndex(index: FaqIndex): Buffer {
  const values: number[] = [];
  index.docs.forEach((d, i) => {
    values.push(index.docEntry[i]!, index.docField[i]!, d.terms.length);
    let prev = 0;
    for (let k = 0; k < d.terms.length; k++) {
      values.push(d.terms[k]! - prev, d.tfs[k]!);
      prev = d.terms[k]!;
    }
  });
  const stored: StoredIndex = {
    format: FORMAT,
    version: FORMAT_VERSION,
    params: index.params,
    lexicon: index.lexicon.source,
    entries: [...index.entries],
    terms: [...index.terms],
  };
  const header = Buffer.from(JSON.stringify(stored));
  const length = Buffer.alloc(4);
  length.writeUInt32BE(header.length);
  const raw = Buffer.concat([length, header, encodeVarints(values)]);
  return brotliCompressSync(raw, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 6, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: raw.length } });
}

/** Thrown when stored bytes are not an index this code can read. */
export class FaqIndexFormatError extends Error {
  override name = 'FaqIndexFormatError';
}

/** Reads an index written by `encodeFaqIndex`. */
export function decodeFaqIndex(bytes: Uint8Array): FaqIndex {
  let stored: StoredIndex;
  let raw: Buffer;
  let headerEnd: number;
  try {
    raw = brotliDecompressSync(bytes);
    headerEnd = 4 + raw.readUInt32BE(0);
    stored = JSON.parse(raw.subarray(4, headerEnd).toString('utf8')) as StoredIndex;
  } catch (err) {
    throw new FaqIndexFormatError(`not a FAQ index: ${(err as Error).message}`);
  }
  if (stored.format !== FORMAT || stored.version !== FORMAT_VERSION) throw new FaqIndexFormatError(`unsupported index format ${stored.format} v${stored.version}`);
  const values = decodeVarints(raw.subarray(headerEnd));
  const docEntry: number[] = [];
  const docField: number[] = [];
  const docs: DocTerms[] = [];
  for (let at = 0; at < values.length; ) {
    docEntry.push(values[at++]!);
    docField.push(values[at++]!);
    const n = values[at++]!;
    const terms = new Uint32Array(n);
    const tfs = new Uint16Array(n);
    let prev = 0;
    for (let k = 0; k < n; k++) {
      prev += values[at++]!;
      terms[k] = prev;
      tfs[k] = values[at++]!;
    }
    docs.push({ terms, tfs });
  }
  return assembleIndex({
    params: stored.params,
    lexicon: compileLexicon(stored.lexicon),
    entries: stored.entries,
    terms: stored.terms,
    docEntry: Uint32Array.from(docEntry),
    docField: Uint8Array.from(docField),
    docs,
  });
}

/** LEB128 varints of non-negative integers. */
export function encodeVarints(values: readonly number[]): Uint8Array {
  const out: number[] = [];
  for (let v of values) {
    do {
      let b = v & 0x7f;
      v = Math.floor(v / 128);
      if (v > 0) b |= 0x80;
      out.push(b);
    } while (v > 0);
  }
  return Uint8Array.from(out);
}

/** Reads LEB128 varints. */
export function decodeVarints(bytes: Uint8Array): number[] {
  const out: number[] = [];
  let value = 0;
  let shift = 0;
  for (const b of bytes) {
    value += (b & 0x7f) * 2 ** shift;
    if (b & 0x80) shift += 7;
    else {
      out.push(value);
      value = 0;
      shift = 0;
    }
  }
  return out;
}
