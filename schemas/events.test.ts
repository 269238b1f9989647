import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { SCHEMA_DIR, eventJsonSchemas } from '../scripts/generate-schemas.ts';
import { EVENT_DETAIL_SCHEMAS } from './events.ts';
import { eventsForNewItem } from '../test/helpers/sample-items.ts';

describe('event JSON Schemas', () => {
  it('are committed and up to date (run `npm run schemas` after changing schemas/events.ts)', () => {
    const expected = eventJsonSchemas();
    expect(readdirSync(SCHEMA_DIR).sort()).toEqual(Object.keys(expected).sort());
    for (const [name, text] of Object.entries(expected)) expect(readFileSync(`${SCHEMA_DIR}${name}`, 'utf8'), name).toBe(text);
  });

  it('describe the events the pipeline really publishes', () => {
    for (const event of eventsForNewItem()) {
      const schema = EVENT_DETAIL_SCHEMAS[event.detailType as keyof typeof EVENT_DETAIL_SCHEMAS];
      expect(schema.safeParse(event.detail).success, event.detailType).toBe(true);
    }
  });
});
