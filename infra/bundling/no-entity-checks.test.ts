/**
 * The `is-unsafe` stand-in is only sound while our XML reader never lets a declared entity reach
 * fast-xml-parser. The reader is bundled here as in Lambda, but with is-unsafe aliased to a counting spy:
 * no document, hostile or not, consults it, while the parser itself does when handed a DTD directly.
 */
import { build } from 'esbuild';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { HTML, XML, isUnsafe } from './no-entity-checks.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const counter = globalThis as { isUnsafeCalls?: number };

const DOCUMENTS = [
  '<xml><Content><![CDATA[hello]]></Content><MsgType>text</MsgType></xml>',
  '<xml><Content>a &amp; b &#x4e2d;</Content></xml>',
  '<!DOCTYPE xml [<!ENTITY x "<script>alert(1)</script>">]><xml><Content>&x;</Content></xml>',
  '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><xml><C>&lol2;</C></xml>',
  '<xml><!ENTITY y SYSTEM "file:///etc/passwd"><C>&y;</C></xml>',
  '<xml><C>&unknown;</C></xml>',
];

let bundled: { parseFlatXml: (xml: string) => unknown; XMLParser: new (o: object) => { parse(xml: string): unknown } };

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'redress-is-unsafe-'));
  const spy = join(dir, 'spy.mjs');
  writeFileSync(spy, 'export const HTML = [], XML = []; export function isUnsafe() { globalThis.isUnsafeCalls = (globalThis.isUnsafeCalls ?? 0) + 1; return true; }');
  const outfile = join(dir, 'xml.mjs');
  await build({
    stdin: { contents: "export { parseFlatXml } from './functions/shared/channels/xml.ts'; export { XMLParser } from 'fast-xml-parser';", resolveDir: ROOT, loader: 'ts' },
    bundle: true, platform: 'node', format: 'esm', outfile, logLevel: 'error', alias: { 'is-unsafe': spy },
  });
  bundled = await import(pathToFileURL(outfile).href);
});

describe('is-unsafe stand-in (alias in Lambda bundles)', () => {
  it('is never reached by the XML reader: DTDs and entity declarations are refused before parsing', () => {
    counter.isUnsafeCalls = 0;
    for (const doc of DOCUMENTS) {
      try {
        bundled.parseFlatXml(doc);
      } catch {
        // refused documents are expected; only whether is-unsafe was consulted matters
      }
    }
    expect(counter.isUnsafeCalls).toBe(0);
  });

  it('would see the parser consult it (control: a DTD handed straight to fast-xml-parser)', () => {
    counter.isUnsafeCalls = 0;
    new bundled.XMLParser({ processEntities: true }).parse(DOCUMENTS[2]!);
    expect(counter.isUnsafeCalls).toBeGreaterThan(0);
  });

  it('fails closed if it ever is', () => {
    expect(isUnsafe('anything', [HTML, XML])).toBe(true);
  });
});
