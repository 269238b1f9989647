import { describe, expect, it } from 'vitest';
import { callPlatform, httpFailure, retryAfterMs, type FetchLike } from './reply-http.ts';

const NOW = new Date('2026-12-06T08:00:00Z');
const request = { method: 'POST' as const, url: 'https://platform.example/send?access_token=secret-token', headers: {}, body: '{}' };

describe('callPlatform', () => {
  it('returns the status, headers and body of an answer', async () => {
    const fetch: FetchLike = async () => new Response('{"ok":true}', { status: 201, headers: { 'x-id': '7' } });
    const answer = await callPlatform({ fetch, timeoutMs: 1000, now: () => NOW }, request);
    expect(answer).toMatchObject({ status: 201, text: '{"ok":true}' });
    expect('headers' in answer && answer.headers.get('x-id')).toBe('7');
  });

  it('turns a platform that never answers into a transient timeout', async () => {
    const hang: FetchLike = (_url, init) => new Promise((_resolve, reject) => init.signal?.addEventListener('abort', () => reject(init.signal?.reason)));
    expect(await callPlatform({ fetch: hang, timeoutMs: 20, now: () => NOW }, request)).toEqual({ status: 'transient', code: 'timeout', message: 'No answer within 20 ms.' });
  });

  it('turns a refused connection into a transient network failure that names the cause, never the URL', async () => {
    const refused: FetchLike = async () => {
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
    };
    const outcome = await callPlatform({ fetch: refused, timeoutMs: 1000, now: () => NOW }, request);
    expect(outcome).toEqual({ status: 'transient', code: 'network', message: 'The request could not be made (ECONNREFUSED).' });
    expect(JSON.stringify(outcome)).not.toContain('secret-token');
  });

  it('does not follow redirects', async () => {
    let seen: RequestInit | undefined;
    const fetch: FetchLike = async (_url, init) => {
      seen = init;
      return new Response(null, { status: 204 });
    };
    await callPlatform({ fetch, timeoutMs: 1000, now: () => NOW }, request);
    expect(seen?.redirect).toBe('manual');
  });
});

describe('retryAfterMs', () => {
  const headers = (value?: string) => new Headers(value === undefined ? {} : { 'retry-after': value });
  it.each([
    ['seconds', '30', 30_000],
    ['an HTTP date', new Date(NOW.getTime() + 5000).toUTCString(), 5000],
    ['a date already past', new Date(NOW.getTime() - 5000).toUTCString(), 0],
    ['more than a day', '999999', 86_400_000],
    ['nothing readable', 'soon', undefined],
    ['no header', undefined, undefined],
  ])('reads %s', (_label, value, expected) => {
    expect(retryAfterMs(headers(value), NOW)).toBe(expected);
  });
});

describe('httpFailure', () => {
  const answer = (status: number, headers: Record<string, string> = {}) => ({ status, headers: new Headers(headers), text: '' });
  it.each([[500, 'transient'], [502, 'transient'], [429, 'transient'], [408, 'transient'], [400, 'permanent'], [401, 'permanent'], [403, 'permanent'], [404, 'permanent'], [301, 'permanent']])(
    '%i is %s',
    (status, expected) => {
      expect(httpFailure(answer(status), 'c', 'm', NOW).status).toBe(expected);
    },
  );

  it('cuts a long platform message to 1,000 characters', () => {
    expect(httpFailure(answer(400), 'c', 'x'.repeat(5000), NOW).message).toHaveLength(1000);
  });
});
