/** Whatever a platform answers, every adapter reads it into a well-formed outcome without throwing. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { graphOutcome } from './meta-reply.ts';
import { callbackOutcome } from './standard-webhooks-reply.ts';
import { twilioOutcome } from './twilio-reply.ts';
import { xOutcome } from './x-reply.ts';

const NOW = new Date('2026-12-06T08:00:00Z');
const readers = { graph: graphOutcome, x: xOutcome, twilio: twilioOutcome, callback: callbackOutcome };

const body = fc.oneof(
  fc.string(),
  fc.json(),
  fc.record({ error: fc.record({ code: fc.oneof(fc.integer(), fc.string(), fc.constant(null)), message: fc.anything(), is_transient: fc.anything() }, { requiredKeys: [] }) }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
  fc.record({ code: fc.anything(), message: fc.anything(), detail: fc.anything(), errors: fc.anything(), data: fc.anything(), messages: fc.anything() }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
);
const headers = fc.dictionary(fc.constantFrom('retry-after', 'x-rate-limit-reset', 'content-type'), fc.string({ unit: 'grapheme-ascii' }).map((s) => s.replace(/[\r\n\0]/g, '')));

describe('reading platform answers', () => {
  for (const [name, read] of Object.entries(readers)) {
    it(`${name}: any status, headers and body give a well-formed outcome`, () => {
      fc.assert(
        fc.property(fc.integer({ min: 100, max: 599 }), headers, body, (status, h, text) => {
          const outcome = read({ status, headers: new Headers(h), text }, NOW);
          expect(['sent', 'transient', 'permanent']).toContain(outcome.status);
          if (outcome.status === 'transient' || outcome.status === 'permanent') {
            expect(typeof outcome.code).toBe('string');
            expect(outcome.message.length).toBeLessThanOrEqual(1000);
          }
          if (outcome.status === 'transient' && outcome.retryAfterMs !== undefined) expect(outcome.retryAfterMs).toBeGreaterThanOrEqual(0);
          if (status >= 200 && status < 300) expect(outcome.status).toBe('sent');
        }),
      );
    });
  }
});
