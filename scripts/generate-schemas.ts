/**
 * Generates the documents derived from the zod schemas:
 * - JSON Schemas for event consumers: schemas/json/<detail-type>.json (schemas/events.test.ts fails when
 *   the committed files are stale);
 * - the OpenAPI document the admin Lambda serves at GET /openapi.json: functions/admin/openapi.packed.json
 *   (functions/admin/openapi.test.ts fails when it is stale).
 * `npm run schemas` writes them all.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as z from 'zod/mini';
import { EVENT_DETAIL_SCHEMAS, EVENT_SOURCE, type EventType } from '../schemas/events.ts';
import { buildOpenApiDocument, packOpenApiDocument } from '../functions/admin/openapi-build.ts';

export const SCHEMA_DIR = fileURLToPath(new URL('../schemas/json/', import.meta.url));
export const OPENAPI_FILE = fileURLToPath(new URL('../functions/admin/openapi.packed.json', import.meta.url));

/** The JSON Schema documents, by file name. */
export function eventJsonSchemas(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [type, detail] of Object.entries(EVENT_DETAIL_SCHEMAS) as Array<[EventType, z.core.$ZodType]>) {
    const schema = {
      $id: `urn:redress:events:${type}`,
      title: `${type} (EventBridge source "${EVENT_SOURCE}")`,
      description: `The detail of a ${type} event. Never carries the customer's text or contact details.`,
      ...z.toJSONSchema(detail, { target: 'draft-2020-12', io: 'output' }),
    };
    delete (schema as Record<string, unknown>)['$schema'];
    out[`${type}.json`] = JSON.stringify({ $schema: 'https://json-schema.org/draft/2020-12/schema', ...schema }, null, 2) + '\n';
  }
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  mkdirSync(SCHEMA_DIR, { recursive: true });
  const schemas = eventJsonSchemas();
  for (const [name, text] of Object.entries(schemas)) writeFileSync(`${SCHEMA_DIR}${name}`, text);
  console.log(`wrote ${Object.keys(schemas).length} event schemas to schemas/json/`);
  writeFileSync(OPENAPI_FILE, packOpenApiDocument(buildOpenApiDocument()));
  console.log('wrote the OpenAPI document to functions/admin/openapi.packed.json');
}
