import middy from '@middy/core';
import { describe, expect, it } from 'vitest';
import { ConflictError, MethodNotAllowedError, ProblemError } from '../errors.ts';
import { FaqConflictError, FaqInvalidError } from '../faq/errors.ts';
import type { HttpEvent, HttpResult } from '../http.ts';
import { InvalidTransitionError, UnknownClockError } from '../lifecycle/errors.ts';
import type { Logger } from '../logger.ts';
import { ReplyRefusedError } from '../replies/errors.ts';
import { httpProblem, toProblem } from './http-problem.ts';

const logged: string[] = [];
const logger = { debug: () => {}, info: () => {}, warn: () => {}, error: (msg: string) => logged.push(msg) } as unknown as Logger;

/** The answer the middleware gives when the handler throws `err`. */
async function answer(err: unknown): Promise<{ status: number; headers: Record<string, string>; body: Record<string, unknown> }> {
  const handler = middy<HttpEvent, HttpResult>()
    .use(httpProblem(logger))
    .handler(async () => {
      throw err;
    });
  const res = (await handler({ rawPath: '/admin/x' } as HttpEvent, {} as never)) as HttpResult;
  return { status: res.statusCode, headers: res.headers as Record<string, string>, body: JSON.parse(String(res.body)) };
}

describe('the problem middleware maps each domain error once', () => {
  const subject = { id: 'fb_1', version: 7 };

  it('a lifecycle refusal is a 409 naming the allowed commands and the version read', async () => {
    const res = await answer(new InvalidTransitionError(subject, 'resolve', 'complaint/resolved', ['reopen', 'note'], 'already resolved'));
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ type: 'about:blank', title: 'Conflict', status: 409, detail: 'Cannot resolve fb_1 (complaint/resolved): already resolved.', instance: '/admin/x', allowed: ['reopen', 'note'], currentVersion: 7 });
  });

  it('an unknown clock is a 404 naming the item', async () => {
    const res = await answer(new UnknownClockError(subject, 'nope', ['resolution']));
    expect(res.status).toBe(404);
    expect(res.body.detail).toBe('fb_1: no clock "nope" on this complaint (it has: resolution).');
  });

  it('a refused reply is a 409 with its rule and what is still allowed', async () => {
    const res = await answer(new ReplyRefusedError('reply channel not configured', { rule: 'reply_channel_not_configured', source: 'x', stillAllowed: ['phone'] }));
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ detail: 'reply channel not configured', rule: 'reply_channel_not_configured', source: 'x', stillAllowed: ['phone'] });
  });

  it('an invalid FAQ upload is a 400 naming the fields; a lost FAQ race a 409 naming the version', async () => {
    const bad = await answer(new FaqInvalidError('Invalid FAQ upload: 1 problem.', [{ field: 'row.2.answer', message: 'required' }]));
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ title: 'Bad Request', detail: 'Invalid FAQ upload: 1 problem.', errors: [{ field: 'row.2.answer', message: 'required' }] });
    const cause = new Error('version moved');
    const mapped = toProblem(new FaqConflictError('The FAQ changed.', 4, { cause }));
    expect(mapped).toBeInstanceOf(ConflictError);
    expect(mapped?.extra).toEqual({ version: 4 });
    expect((mapped?.cause as Error).cause).toBe(cause);
  });

  it('a 405 carries its Allow header from the error, and a ProblemError is answered as it is', async () => {
    const res = await answer(new MethodNotAllowedError('GET only.', ['GET', 'HEAD']));
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD');
    expect(res.headers['content-type']).toBe('application/problem+json');
    const own = new ProblemError(422, 'Unprocessable Content', 'no room');
    expect(toProblem(own)).toBe(own);
  });

  it('anything else is a 500 without details, logged', async () => {
    logged.length = 0;
    const res = await answer(new Error('secret internals'));
    expect(res.status).toBe(500);
    expect(JSON.stringify(res.body)).not.toContain('secret internals');
    expect(logged).toEqual(['unhandled error']);
    expect(toProblem(new Error('x'))).toBeUndefined();
  });
});
