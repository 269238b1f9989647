/**
 * Pagination cursors: the sort key of the last item a page returned (key-based, so items inserted or
 * removed elsewhere never shift a page: nothing is skipped or repeated), bound to the query that made it
 * and signed with HMAC-SHA-256. A cursor cannot be forged, edited, or replayed on another query (other
 * filters, another route): any of those is a 400.
 *
 * The signing key is derived from a secret (REDRESS_CURSOR_SECRET, else REDRESS_JWT_SECRET) with a
 * purpose label, so the token secret itself never signs cursors. Every active value verifies (rotation).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ConfigurationError, requiredEnv, secretList } from '../shared/config.ts';
import { BadRequestError } from '../shared/errors.ts';

export interface CursorCodec {
  /** A cursor for resuming `scope` after `key`. */
  encode(scope: string, key: string): string;
  /** The key of a cursor made for `scope`, or BadRequestError (field `cursor`). */
  decode(scope: string, cursor: string): string;
}

const PURPOSE = 'redress/admin-cursor/v1';

/**
 * The secrets cursors are signed with: REDRESS_CURSOR_SECRET's active values, else REDRESS_JWT_SECRET's
 * (a deployment without a cursor secret still pages). The one place both the admin Lambda and the
 * local stack read them. Throws naming REDRESS_JWT_SECRET when neither is set.
 */
export function cursorSecrets(env: NodeJS.ProcessEnv): string[] {
  const own = secretList(env.REDRESS_CURSOR_SECRET);
  return own.length ? own : secretList(requiredEnv(env, 'REDRESS_JWT_SECRET'));
}

/** Derives the cursor keys from the active secrets (first signs, all verify). */
export function createCursorCodec(secrets: string[]): CursorCodec {
  if (secrets.length === 0) throw new ConfigurationError('no secret to sign pagination cursors with (REDRESS_CURSOR_SECRET or REDRESS_JWT_SECRET)');
  const keys = secrets.map((s) => createHmac('sha256', s).update(PURPOSE).digest());
  const mac = (key: Buffer, scope: string, payload: string) => createHmac('sha256', key).update(scope).update('\n').update(payload).digest();
  const bad = (why: string) => new BadRequestError(`The cursor is not valid for this query: ${why}. Start again without a cursor.`, [{ field: 'cursor', message: why }]);
  return {
    encode(scope, key) {
      const payload = Buffer.from(key, 'utf8').toString('base64url');
      return `${payload}.${mac(keys[0]!, scope, payload).toString('base64url')}`;
    },
    decode(scope, cursor) {
      const [payload, sig, extra] = cursor.split('.');
      if (!payload || !sig || extra !== undefined || !/^[A-Za-z0-9_-]+$/.test(payload + sig)) throw bad('malformed cursor');
      const given = Buffer.from(sig, 'base64url');
      const ok = keys.some((key) => {
        const want = mac(key, scope, payload);
        return want.length === given.length && timingSafeEqual(want, given);
      });
      if (!ok) throw bad('the cursor was not issued for this query');
      return Buffer.from(payload, 'base64url').toString('utf8');
    },
  };
}

/** The scope a cursor is bound to: the route and its filters in a canonical order (limit excluded: pages may change size). */
export function cursorScope(route: string, filters: Record<string, unknown>): string {
  const parts = Object.keys(filters)
    .filter((k) => filters[k] !== undefined)
    .sort()
    .map((k) => `${k}=${String(filters[k])}`);
  return `${route}?${parts.join('&')}`;
}
