/**
 * A hardened reader for the flat XML documents WeChat sends (`<xml><Field>…</Field>…</xml>`).
 *
 * It uses a real parser (fast-xml-parser) with entity processing off, and refuses any document that
 * declares a DTD or entities before the parser sees it: an XXE or "billion laughs" payload is a 400
 * and nothing is expanded or fetched. Only the five predefined XML entities and numeric character
 * references are decoded, by hand, because they cannot expand into anything but one character.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { BadRequestError } from '../errors.ts';
import { onFirstUse } from './payload.ts';

/** Marks CDATA so that its content is kept verbatim (entity decoding applies to plain text only). */
const CDATA_KEY = '#cdata';
const TEXT_KEY = '#text';

/** The parser, built on the first XML document (see onFirstUse in payload.ts). */
const parser = onFirstUse(() => new XMLParser({
  processEntities: false,
  htmlEntities: false,
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  parseTagValue: false, // keep every value as text: MsgId is a 64-bit integer
  parseAttributeValue: false,
  trimValues: false,
  cdataPropName: CDATA_KEY,
  textNodeName: TEXT_KEY,
}));

/**
 * True when the document declares a DTD or entities outside CDATA sections (where they are only text).
 * A single linear scan (no backtracking regex), so a 256 KB body of unterminated CDATA costs nothing.
 */
export function declaresDtd(xml: string): boolean {
  let from = 0;
  for (;;) {
    const open = xml.indexOf('<!', from);
    if (open < 0) return false;
    if (xml.startsWith('<![CDATA[', open)) {
      const close = xml.indexOf(']]>', open + 9);
      // Unterminated CDATA: the document is malformed anyway; refuse if a declaration follows.
      if (close < 0) return DECLARATION.test(xml.slice(open + 9));
      from = close + 3;
      continue;
    }
    if (DECLARATION_AT_START.test(xml.slice(open, open + 10))) return true;
    from = open + 2;
  }
}

const DECLARATION = /<!(DOCTYPE|ENTITY|ELEMENT|ATTLIST)/i;
const DECLARATION_AT_START = /^<!(DOCTYPE|ENTITY|ELEMENT|ATTLIST)/i;

/** Decodes `&lt; &gt; &amp; &quot; &apos;` and `&#NN;` / `&#xNN;`; any other `&name;` stays as written. */
export function decodeXmlText(value: string): string {
  return value.replace(/&(lt|gt|amp|quot|apos|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});/g, (whole, name: string) => {
    switch (name) {
      case 'lt':
        return '<';
      case 'gt':
        return '>';
      case 'amp':
        return '&';
      case 'quot':
        return '"';
      case 'apos':
        return "'";
    }
    const code = name.startsWith('#x') ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : whole;
  });
}

/** A field's value as text: plain text (entities decoded) followed by CDATA (verbatim); undefined for nested elements. */
function fieldText(value: unknown): string | undefined {
  if (typeof value === 'string') return decodeXmlText(value);
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.some((k) => k !== CDATA_KEY && k !== TEXT_KEY)) return undefined; // a nested element, not text
  const plain = record[TEXT_KEY];
  const cdata = record[CDATA_KEY];
  const cdataText = Array.isArray(cdata) ? cdata.map(String).join('') : cdata === undefined ? '' : String(cdata);
  return (typeof plain === 'string' ? decodeXmlText(plain) : '') + cdataText;
}

/**
 * Parses a flat `<xml>` document into its text fields. Throws BadRequestError for anything that is
 * not well-formed XML, declares a DTD or entities, or has no `<xml>` root. Nested elements and repeated
 * fields come back as `null` (present, but not a single text value) so a schema can reject them.
 */
export function parseFlatXml(xml: string): Record<string, string | null> {
  if (declaresDtd(xml)) throw new BadRequestError('XML with a DOCTYPE or entity declarations is not accepted.', [{ field: '(body)', message: 'DTD not allowed' }]);
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new BadRequestError('The body is not well-formed XML.', [{ field: '(body)', message: valid.err.msg }]);
  let document: unknown;
  try {
    document = parser().parse(xml);
  } catch {
    throw new BadRequestError('The body is not well-formed XML.', [{ field: '(body)', message: 'unparseable XML' }]);
  }
  const root = document && typeof document === 'object' ? (document as Record<string, unknown>).xml : undefined;
  if (root === undefined || root === null || typeof root !== 'object' || Array.isArray(root)) {
    throw new BadRequestError('The XML has no single <xml> root element.', [{ field: 'xml', message: 'required' }]);
  }
  const fields: Record<string, string | null> = {};
  for (const [key, value] of Object.entries(root as Record<string, unknown>)) {
    // `__proto__` and friends are element names no WeChat message has; assigning them could pollute prototypes.
    if (key === CDATA_KEY || key === TEXT_KEY || key === '__proto__' || key === 'constructor' || key === 'prototype') continue;
    fields[key] = fieldText(value) ?? null;
  }
  return fields;
}
