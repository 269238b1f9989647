/**
 * The README's configuration table against the functions' environment schemas (issue 14): every variable
 * a function's schema reads is documented, and the Lambda entries parse their schema at cold start.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { AdminEnv } from '../../functions/admin/config.ts';
import { ClockCheckEnv } from '../../functions/clock/config.ts';
import { IngestEnv } from '../../functions/ingest/config.ts';
import { ProcessEnv } from '../../functions/process/config.ts';
import { ReplyEnv } from '../../functions/reply/config.ts';
import { ReportEnv } from '../../functions/reports/config.ts';
import { replyCredentialEnv, webhookEnv } from '../../functions/shared/channels/env.ts';
import { envVariables, parseEnv, type EnvSchema } from '../../functions/shared/runtime-config.ts';
import { SweeperEnv } from '../../functions/sweeper/config.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const SCHEMAS: Record<string, { schema: EnvSchema; entry: string; name: string }> = {
  process: { schema: ProcessEnv, entry: 'functions/process/index.ts', name: 'ProcessEnv' },
  sweeper: { schema: SweeperEnv, entry: 'functions/sweeper/index.ts', name: 'SweeperEnv' },
  'clock-check': { schema: ClockCheckEnv, entry: 'functions/clock/index.ts', name: 'ClockCheckEnv' },
  ingest: { schema: IngestEnv, entry: 'functions/ingest/index.ts', name: 'IngestEnv' },
  reply: { schema: ReplyEnv, entry: 'functions/reply/index.ts', name: 'ReplyEnv' },
  admin: { schema: AdminEnv, entry: 'functions/admin/index.ts', name: 'AdminEnv' },
  reports: { schema: ReportEnv, entry: 'functions/reports/index.ts', name: 'ReportEnv' },
};

/** The REDRESS_* variables a source file reads by name (`env.REDRESS_X`, `'REDRESS_X'`). */
function variablesRead(source: string): string[] {
  return [...source.matchAll(/(?:\.|')(REDRESS_[A-Z0-9_]+)\b(?!_)/g)].map((m) => m[1]!);
}

/** The variables the README's configuration tables name in their first column. */
function documentedVariables(readme: string): Set<string> {
  const names = new Set<string>();
  for (const line of readme.split('\n')) {
    const first = /^\|([^|]*)\|/.exec(line)?.[1];
    for (const m of first?.matchAll(/`(REDRESS_[A-Z0-9_]+)`/g) ?? []) names.add(m[1]!);
  }
  return names;
}

describe('runtime configuration', () => {
  const documented = documentedVariables(readFileSync(join(ROOT, 'README.md'), 'utf8'));

  it('reads the README table (a table cell may list several variables)', () => {
    expect(documented.has('REDRESS_SLA_FIRST_RESPONSE')).toBe(true);
    expect(documented.has('REDRESS_DEAD_LETTER_QUEUE_URL')).toBe(true);
    expect(documentedVariables('| `REDRESS_A`, `REDRESS_B` | x |\nsee `REDRESS_C` |')).toEqual(new Set(['REDRESS_A', 'REDRESS_B']));
  });

  it.each(Object.entries(SCHEMAS))('the README documents every variable the %s function reads', (_fn, { schema }) => {
    const missing = envVariables(schema).filter((v) => !documented.has(v));
    expect(missing).toEqual([]);
  });

  it.each(Object.entries(SCHEMAS))('the %s Lambda entry parses its schema once, at cold start', (fn, { entry, name }) => {
    const source = readFileSync(join(ROOT, entry), 'utf8');
    // The admin function parses once its own and the channel secret are overlaid; the others, process.env.
    const from = fn === 'admin' ? '\\{ \\.\\.\\.\\(await channelSecrets\\.current\\(\\)\\), REDRESS_SECRETS_ARN: ownEnv\\.REDRESS_SECRETS_ARN \\}' : 'process\\.env';
    expect(source).toMatch(new RegExp(`^const env = parseEnv\\('${fn}', ${name}, ${from}\\);$`, 'm'));
    expect(source.match(/parseEnv\(/g)).toHaveLength(1);
    expect(source).not.toMatch(/process\.env\.REDRESS_|requiredEnv\(process|env\.REDRESS_[A-Z_]+ \?\?/);
  });

  it.each(Object.entries(SCHEMAS))('the %s schema fails a cold start without its table, naming the variable', (fn, { schema }) => {
    expect(() => parseEnv(fn, schema, {})).toThrow(new RegExp(`^${fn} configuration: .*REDRESS_TABLE_NAME is required`));
  });

  it('declares every variable the channel adapters read, once for every function that builds them', () => {
    const dir = join(ROOT, 'functions/shared/channels');
    const declared = new Set([...Object.keys(webhookEnv), ...Object.keys(replyCredentialEnv)]);
    const read = readdirSync(dir)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'env.ts')
      .flatMap((f) => variablesRead(readFileSync(join(dir, f), 'utf8')));
    expect(read.length).toBeGreaterThan(20);
    expect([...new Set(read)].filter((v) => !declared.has(v))).toEqual([]);
    // The functions that build webhook adapters or a reply router declare them all.
    const keys = (schema: EnvSchema) => new Set(envVariables(schema));
    for (const v of Object.keys(webhookEnv)) expect(keys(IngestEnv).has(v)).toBe(true);
    for (const schema of [ReplyEnv, AdminEnv, ProcessEnv]) for (const v of Object.keys(replyCredentialEnv)) expect(keys(schema).has(v)).toBe(true);
  });

  it('shares the table, clock-policy and channel-secret variables rather than restating them', () => {
    const clock = ['REDRESS_JURISDICTION', 'REDRESS_SLA_FIRST_RESPONSE', 'REDRESS_SLA_CRITICAL_FACTOR'];
    for (const schema of [ProcessEnv, AdminEnv, ReportEnv]) expect(envVariables(schema)).toEqual(expect.arrayContaining(clock));
    for (const schema of [ProcessEnv, AdminEnv, IngestEnv, ReplyEnv]) {
      expect(() => parseEnv('x', z.pick(schema, { REDRESS_SECRET_CACHE_SECONDS: true }), { REDRESS_SECRET_CACHE_SECONDS: '90000' })).toThrow(/REDRESS_SECRET_CACHE_SECONDS must be a number from 0 to 86400/);
    }
  });
});
