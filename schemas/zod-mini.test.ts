/**
 * The Lambdas use zod mini (smaller bundles, faster start). Two things keep that true and harmless:
 * no Lambda bundle pulls classic zod back in, and zod mini still answers with zod's English messages
 * (it loads no locale by itself; schemas/zod-locale.ts installs it), so 400s keep saying what is wrong.
 */
import { build } from 'esbuild';
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FeedbackListQuery, SatisfactionBody } from './admin.ts';
import { SubmittedFeedback } from './webhook.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** Every Lambda entry point: functions/<name>/index.ts. */
function lambdaEntries(): string[] {
  return readdirSync(join(ROOT, 'functions'))
    .map((name) => join('functions', name, 'index.ts'))
    .filter((entry) => existsSync(join(ROOT, entry)));
}

/** A bundled file's path from its `node_modules/` on (esbuild reports paths relative to the working directory). */
const fromNodeModules = (path: string) => path.slice(path.lastIndexOf('node_modules/'));

const messagesOf = (result: { success: boolean; error?: { issues: Array<{ path: PropertyKey[]; message: string }> } }) =>
  (result.error?.issues ?? []).map((issue) => ({ field: issue.path.map(String).join('.'), message: issue.message }));

describe('zod mini in the Lambdas', () => {
  it('no Lambda bundle contains classic zod or a locale other than English', async () => {
    // Prepare
    const entries = lambdaEntries();
    expect(entries.length).toBeGreaterThanOrEqual(5);

    for (const entry of entries) {
      // Act: bundle as the Lambdas are bundled (the AWS SDK left out: it has no zod in it, and it is slow to bundle)
      const result = await build({
        entryPoints: [join(ROOT, entry)], bundle: true, platform: 'node', format: 'esm', target: 'node22',
        write: false, metafile: true, logLevel: 'silent', external: ['@aws-sdk/*', '@smithy/*'],
      });

      // Assess
      const zodInputs = Object.keys(result.metafile.inputs).filter((path) => path.includes('node_modules/zod/')).map(fromNodeModules);
      expect(zodInputs.length, entry).toBeGreaterThan(0);
      expect(zodInputs.filter((path) => path.includes('node_modules/zod/v4/classic/')), entry).toEqual([]);
      // Every locale is read (zod/mini re-exports them as a namespace), but only English may reach the output.
      const output = Object.values(result.metafile.outputs)[0]!;
      const localesInOutput = Object.entries(output.inputs)
        .filter(([path, use]) => path.includes('node_modules/zod/v4/locales/') && use.bytesInOutput > 0)
        .map(([path]) => fromNodeModules(path));
      expect(localesInOutput, entry).toEqual(['node_modules/zod/v4/locales/en.js']);
    }
  }, 60_000);

  it('answers with English messages that say what is wrong, and custom messages as written', () => {
    // Prepare
    const body = { type: 'feedback.other', data: { text: 'card blocked', language: 'x', rating: 11, customer: { phone: 42 } } };

    // Act
    const webhook = messagesOf(SubmittedFeedback.safeParse(body));
    const satisfaction = messagesOf(SatisfactionBody.safeParse({ score: 2.5, comment: 'c'.repeat(2_001) }));
    const query = messagesOf(FeedbackListQuery.safeParse({ limit: '0', from: 'yesterday' }));

    // Assess
    expect(webhook).toEqual([
      { field: 'type', message: 'type must be "feedback.submitted"' },
      { field: 'data.customer.phone', message: 'Invalid input: expected string, received number' },
      { field: 'data.language', message: 'Too small: expected string to have >=2 characters' },
      { field: 'data.rating', message: 'Too big: expected number to be <=10' },
    ]);
    expect(satisfaction).toEqual([
      { field: 'score', message: 'score must be a whole number from 1 to 5' },
      { field: 'comment', message: 'Too big: expected string to have <=2000 characters' },
    ]);
    expect(query).toEqual([
      { field: 'from', message: 'must be an ISO 8601 date-time with a zone, e.g. 2026-11-28T09:30:00Z' },
      { field: 'limit', message: 'limit must be at least 1' },
    ]);
  });
});
