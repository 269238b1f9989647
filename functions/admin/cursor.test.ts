import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BadRequestError } from '../shared/errors.ts';
import { createCursorCodec, cursorScope, cursorSecrets } from './cursor.ts';

const codec = createCursorCodec(['cursor-secret-a']);

describe('pagination cursors', () => {
  it('round-trip any key for the query that made them', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 200 }), (key) => {
        const scope = cursorScope('complaints', { channel: 'web' });
        expect(codec.decode(scope, codec.encode(scope, key))).toBe(key);
      }),
    );
  });

  it('cannot be replayed on another query, edited or forged', () => {
    const scope = cursorScope('complaints', { channel: 'web', status: 'open' });
    const cursor = codec.encode(scope, '0#2026-03-03T09:00:00.000Z#fb_a');
    expect(() => codec.decode(cursorScope('complaints', { channel: 'mobile', status: 'open' }), cursor)).toThrow(BadRequestError);
    expect(() => codec.decode(cursorScope('feedback', { channel: 'web', status: 'open' }), cursor)).toThrow(BadRequestError);
    const [payload, sig] = cursor.split('.');
    const edited = `${Buffer.from('0#2020-01-01T00:00:00.000Z#fb_a').toString('base64url')}.${sig}`;
    expect(() => codec.decode(scope, edited)).toThrow(BadRequestError);
    expect(() => createCursorCodec(['another-secret']).decode(scope, cursor)).toThrow(BadRequestError);
    expect(() => codec.decode(scope, `${payload}`)).toThrow(BadRequestError);
    expect(() => codec.decode(scope, 'garbage')).toThrow(BadRequestError);
  });

  it('the scope ignores filter order and absent filters', () => {
    expect(cursorScope('x', { b: '2', a: '1', c: undefined })).toBe(cursorScope('x', { a: '1', b: '2' }));
  });

  it('verifies cursors signed with an older secret during rotation', () => {
    const scope = cursorScope('feedback', {});
    const old = createCursorCodec(['old']).encode(scope, 'k');
    expect(createCursorCodec(['new', 'old']).decode(scope, old)).toBe('k');
  });

  it('are signed with the cursor secret, else the token secret, and name the variable when neither is set', () => {
    expect(cursorSecrets({ REDRESS_CURSOR_SECRET: 'c1, c2', REDRESS_JWT_SECRET: 'j' })).toEqual(['c1', 'c2']);
    expect(cursorSecrets({ REDRESS_CURSOR_SECRET: ' ', REDRESS_JWT_SECRET: 'j1,j2' })).toEqual(['j1', 'j2']);
    expect(() => cursorSecrets({})).toThrow(/REDRESS_JWT_SECRET/);
  });
});
