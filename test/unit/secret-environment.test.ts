/**
 * The channel secret read with a TTL (functions/shared/adapters/aws/secrets.ts): warm functions pick up
 * a rotated value once REDRESS_SECRET_CACHE_SECONDS have passed, rebuild what depends on it only when
 * it changed, and keep the values in hand when a refresh fails.
 */
import { describe, expect, it } from 'vitest';
import { SecretEnvironment, secretCacheTtlMs, withSecretEnvironment } from '../../functions/shared/adapters/aws/secrets.ts';
import { createIngestHandler } from '../../functions/ingest/handler.ts';
import { createChannelAdapters } from '../../functions/shared/channels/registry.ts';
import { createLogger } from '../../functions/shared/logger.ts';
import { feedbackBody, httpEvent, standardWebhookHeaders } from '../helpers/http-events.ts';
import type { HttpEvent, HttpResult } from '../../functions/shared/http.ts';
import type { Context } from 'aws-lambda';

const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:redress-test-AbCdEf';
const BASE = { REDRESS_SECRETS_ARN: ARN, REDRESS_TABLE_NAME: 't' };

/** A secret store whose value the test sets, counting reads; `fail` makes the next reads throw. */
function store(initial: Record<string, string>) {
  const s = { value: JSON.stringify(initial), reads: 0, fail: false };
  return Object.assign(s, {
    read: async (arn: string) => {
      expect(arn).toBe(ARN);
      s.reads++;
      if (s.fail) throw new Error('Secrets Manager unavailable');
      return s.value;
    },
  });
}

describe('SecretEnvironment', () => {
  it('reads once per TTL, overlays only REDRESS_* keys, and returns the same object while the secret is unchanged', async () => {
    let now = 0;
    const secret = store({ REDRESS_WEB_SECRET: 'a', OTHER: 'x' });
    const env = new SecretEnvironment(BASE, { ttlMs: 300_000, read: secret.read, now: () => now });
    const first = await env.current();
    expect(first).toMatchObject({ ...BASE, REDRESS_WEB_SECRET: 'a' });
    expect(first.OTHER).toBeUndefined();
    now = 299_999;
    expect(await env.current()).toBe(first);
    expect(secret.reads).toBe(1);
    now = 300_000;
    expect(await env.current()).toBe(first); // read again, unchanged: same object
    expect(secret.reads).toBe(2);
    secret.value = JSON.stringify({ REDRESS_WEB_SECRET: 'b' });
    now = 600_000;
    const rotated = await env.current();
    expect(rotated).not.toBe(first);
    expect(rotated.REDRESS_WEB_SECRET).toBe('b');
  });

  it('throws when the first read fails; keeps the values in hand when a refresh fails, and tries again within 30 s', async () => {
    let now = 0;
    const secret = store({ REDRESS_WEB_SECRET: 'a' });
    secret.fail = true;
    const stale: unknown[] = [];
    const env = new SecretEnvironment(BASE, { ttlMs: 300_000, read: secret.read, now: () => now, onStale: (e) => stale.push(e) });
    await expect(env.current()).rejects.toThrow('unavailable');
    secret.fail = false;
    const first = await env.current();
    secret.fail = true;
    now = 300_000;
    expect(await env.current()).toBe(first);
    expect(stale).toHaveLength(1);
    now = 329_999;
    await env.current();
    expect(secret.reads).toBe(3);
    secret.fail = false;
    secret.value = JSON.stringify({ REDRESS_WEB_SECRET: 'b' });
    now = 330_000;
    expect((await env.current()).REDRESS_WEB_SECRET).toBe('b');
  });

  it('shares one read between concurrent invocations, and reads every time with a TTL of 0', async () => {
    const secret = store({ REDRESS_WEB_SECRET: 'a' });
    const env = new SecretEnvironment(BASE, { ttlMs: 0, read: secret.read });
    await Promise.all([env.current(), env.current(), env.current()]);
    expect(secret.reads).toBe(1);
    await env.current();
    expect(secret.reads).toBe(2);
  });

  it('without REDRESS_SECRETS_ARN is the environment itself, never read', async () => {
    const secret = store({});
    const env = new SecretEnvironment({ REDRESS_TABLE_NAME: 't' }, { ttlMs: 0, read: secret.read });
    expect(await env.current()).toEqual({ REDRESS_TABLE_NAME: 't' });
    expect(secret.reads).toBe(0);
  });
});

describe('REDRESS_SECRET_CACHE_SECONDS', () => {
  it('defaults to 300 s and refuses what is not a whole number of seconds up to a day', () => {
    expect(secretCacheTtlMs({})).toBe(300_000);
    expect(secretCacheTtlMs({ REDRESS_SECRET_CACHE_SECONDS: '60' })).toBe(60_000);
    expect(secretCacheTtlMs({ REDRESS_SECRET_CACHE_SECONDS: '0' })).toBe(0);
    for (const bad of ['-1', '1.5', 'soon', '86401']) expect(() => secretCacheTtlMs({ REDRESS_SECRET_CACHE_SECONDS: bad })).toThrow(/REDRESS_SECRET_CACHE_SECONDS/);
  });
});

describe('a warm ingest function after a rotation', () => {
  const OLD = 'whsec_' + Buffer.from('old-secret-old-secret-old-secret').toString('base64');
  const NEW = 'whsec_' + Buffer.from('new-secret-new-secret-new-secret').toString('base64');
  const deliver = (handler: (e: HttpEvent, c: Context) => Promise<HttpResult>, secret: string, id: string) => {
    const body = feedbackBody('hello');
    return handler(httpEvent('POST', '/webhooks/web', body, standardWebhookHeaders(secret, id, body)), {} as Context);
  };

  it('accepts the new signing secret once the TTL has passed, and rebuilds its adapters only when the secret changed', async () => {
    let now = 0;
    const secret = store({ REDRESS_WEB_SECRET: OLD });
    const env = new SecretEnvironment(BASE, { ttlMs: 300_000, read: secret.read, now: () => now });
    let builds = 0;
    const handler = withSecretEnvironment(env, (e) => {
      builds++;
      return createIngestHandler({
        adapters: createChannelAdapters(e),
        queue: { send: async () => undefined },
        receipts: { recordReceipt: async () => true },
        nonces: { claim: async () => 'new' as const },
        logger: createLogger('test', 'silent'),
      });
    });
    expect((await deliver(handler, OLD, 'msg_1')).statusCode).toBe(202);
    secret.value = JSON.stringify({ REDRESS_WEB_SECRET: NEW });
    now = 299_000;
    expect((await deliver(handler, NEW, 'msg_2')).statusCode).toBe(401); // not yet read again
    now = 300_000;
    expect((await deliver(handler, NEW, 'msg_3')).statusCode).toBe(202);
    expect((await deliver(handler, OLD, 'msg_4')).statusCode).toBe(401);
    expect(builds).toBe(2);
  });
});
