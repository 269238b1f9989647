/**
 * A hardened reader for the flat XML documents WeChat sends (`<xml><Field>…</Field>…</xml>`).
 *
 * It uses a real, conforming XML 1.0 parser (@rgrove/parse-xml: small, strict, no DTD processing), and
 * refuses any document that declares a DTD or entities before the parser sees it: an XXE or "billion
 * laughs" payload is a 400 and nothing is expanded or fetched. The parser decodes only the five predefined
 * entities and numeric character references; any other `&name;` is kept as written (WeChat escapes customers' text, so only a
 * hand-made body has one, and refusing it would lose a message for nothing).
 */
import { parseXml, XmlElement, type XmlDocument } from '@rgrove/parse-xml';
import { BadRequestError } from '../errors.ts';

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

/**
 * Characters XML 1.0 forbids anywhere, even in CDATA (C0 controls but tab, LF and CR; U+FFFE/U+FFFF; lone
 * surrogates). WeChat passes them through from customers' text (\x1d and \x10 have been seen in Content),
 * and a strict parser would refuse the whole message, which WeChat then retries and drops.
 */
const NOT_XML_CHAR = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const NOT_XML_CHARS = new RegExp(NOT_XML_CHAR.source, 'gu');

/** Element names no WeChat message has, which as object keys could pollute prototypes. */
const FORBIDDEN_NAMES = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * How deep elements may nest below `<xml>`. WeChat's deepest documents (menu events with picture lists,
 * `<SendPicsInfo><PicList><item><PicMd5Sum>`) nest four levels; deeper input is not a WeChat message.
 */
export const MAX_XML_DEPTH = 8;

/** True when some element lies more than `limit` levels below `element` (iterative: no recursion to exhaust). */
function nestsDeeperThan(element: XmlElement, limit: number): boolean {
  const stack: Array<[XmlElement, number]> = [[element, 0]];
  while (stack.length) {
    const [at, depth] = stack.pop()!;
    if (depth > limit) return true;
    for (const child of at.children) if (child instanceof XmlElement) stack.push([child, depth + 1]);
  }
  return false;
}

/** A field's text (plain text and CDATA, in order), or null when it holds an element (not a flat field). */
function fieldText(element: XmlElement): string | null {
  return element.children.some((child) => child instanceof XmlElement) ? null : element.text;
}

/**
 * Parses a flat `<xml>` document into its text fields (characters XML forbids read as U+FFFD). Throws
 * BadRequestError for anything that is not well-formed XML, declares a DTD or entities, or has no `<xml>` root. Nested elements and repeated
 * fields come back as `null` (present, but not a single text value) so a schema can reject them.
 */
export function parseFlatXml(xml: string): Record<string, string | null> {
  if (declaresDtd(xml)) throw new BadRequestError('XML with a DOCTYPE or entity declarations is not accepted.', [{ field: '(body)', message: 'DTD not allowed' }]);
  let document: XmlDocument;
  try {
    // Such characters become U+FFFD, the usual stand-in for a character that cannot be represented; and
    // whitespace before `<?xml …?>`, which XML forbids but a proxy or hand-written client may add, goes.
    const trimmed = xml.trimStart();
    const text = NOT_XML_CHAR.test(trimmed) ? trimmed.replace(NOT_XML_CHARS, '\uFFFD') : trimmed;
    document = parseXml(text, { ignoreUndefinedEntities: true });
  } catch (err) {
    // XmlError says what and where (line, column); deeply nested input may instead exhaust the stack.
    const message = err instanceof Error && err.name === 'XmlError' ? err.message.split('\n')[0]! : 'unparseable XML';
    throw new BadRequestError('The body is not well-formed XML.', [{ field: '(body)', message }]);
  }
  const root = document.root;
  if (!root || root.name !== 'xml') throw new BadRequestError('The XML has no single <xml> root element.', [{ field: 'xml', message: 'required' }]);
  if (nestsDeeperThan(root, MAX_XML_DEPTH)) throw new BadRequestError(`The XML nests elements more than ${MAX_XML_DEPTH} levels deep.`, [{ field: 'xml', message: 'too deeply nested' }]);
  const fields: Record<string, string | null> = Object.create(null) as Record<string, string | null>;
  for (const child of root.children) {
    if (!(child instanceof XmlElement)) continue;
    if (FORBIDDEN_NAMES.has(child.name)) throw new BadRequestError('The XML has an element name that is not allowed.', [{ field: child.name, message: 'not allowed' }]);
    fields[child.name] = child.name in fields ? null : fieldText(child);
  }
  return { ...fields };
}
