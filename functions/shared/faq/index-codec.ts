/**
 * The stored form of a FAQ index: a JSON header (entries, lexicon, parameters, the term list) and each
 * document's term ids and counts as delta-coded varints, Brotli-compressed together
 * (`<header length: 4 bytes><header JSON><varints>`). Lengths, idf and
 * postings are derived again on load (`assembleIndex`, a few milliseconds), so they cost no storage.
 * The whole snapshot is what a function needs to answer suggestions: one read, one decompress.
 */
import { FaqError } from './errors.ts';
import { brotliCompressSync, brotliDecompressSync, constants as zlibConstants } from 'node:zlib';
import type { FaqEntry } from './entry.ts';
import { assembleIndex, type FaqIndex, type RetrievalParams } from './faq-index.ts';
import { compileLexicon, type Lexicon } from './lexicon.ts';
import { decodeVarintArray, decodeVarints, encodeVarints } from '../varint.ts';

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
  for (let d = 0; d < index.docEntry.length; d++) {
    const from = index.docStart[d]!;
    const to = index.docStart[d + 1]!;
    values.push(index.docEntry[d]!, index.docField[d]!, to - from);
    let prev = 0;
    for (let k = from; k < to; k++) {
      values.push(index.docTerms[k]! - prev, index.docTfs[k]!);
      prev = index.docTerms[k]!;
    }
  }
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
export class FaqIndexFormatError extends FaqError {
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
  const values = decodeVarintArray(raw.subarray(headerEnd));
  // Two passes: count documents and pairs, then fill typed arrays (no allocation per document).
  let nDocs = 0;
  let nPairs = 0;
  for (let at = 0; at < values.length; nDocs++) {
    const n = values[at + 2]!;
    nPairs += n;
    at += 3 + 2 * n;
  }
  const docEntry = new Uint32Array(nDocs);
  const docField = new Uint8Array(nDocs);
  const docStart = new Uint32Array(nDocs + 1);
  const docTerms = new Uint32Array(nPairs);
  const docTfs = new Uint16Array(nPairs);
  for (let at = 0, d = 0, k = 0; d < nDocs; d++) {
    docEntry[d] = values[at++]!;
    docField[d] = values[at++]!;
    const n = values[at++]!;
    let prev = 0;
    for (let j = 0; j < n; j++, k++) {
      prev += values[at++]!;
      docTerms[k] = prev;
      docTfs[k] = values[at++]!;
    }
    docStart[d + 1] = k;
  }
  return assembleIndex({
    params: stored.params,
    lexicon: compileLexicon(stored.lexicon),
    entries: stored.entries,
    terms: stored.terms,
    docEntry,
    docField,
    docStart,
    docTerms,
    docTfs,
  });
}

export { decodeVarints, encodeVarints };
