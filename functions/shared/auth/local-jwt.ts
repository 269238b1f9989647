/**
 * Local admin tokens: HS256 JWTs signed with `REDRESS_JWT_SECRET` (its UTF-8 bytes; every value of the
 * comma-separated list verifies, the first signs). Only HS256 is accepted, so `alg: none` and
 * algorithm-confusion tokens fail; `exp` and `sub` are required. In AWS the HTTP API JWT authorizer
 * (Cognito) does this job instead; both hand the handler the same claims.
 */
import { SignJWT, jwtVerify } from 'jose';
import { UnauthorizedError } from '../errors.ts';
import type { HttpEvent, HttpResult } from '../http.ts';
import { lowerHeaders } from '../http.ts';
import type { JwtClaims } from './principal.ts';

/** Verifies a compact JWT and resolves its claims, or rejects with UnauthorizedError. */
export type TokenVerifier = (token: string) => Promise<JwtClaims>;

const MAX_TOKEN_LENGTH = 8192;

/**
 * A verifier over the active secrets (rotation: any of them verifies).
 * @param secrets the values of REDRESS_JWT_SECRET, first one used for signing elsewhere.
 * @param clockToleranceSeconds allowed skew for `exp`/`nbf`.
 */
export function createLocalJwtVerifier(secrets: string[], clockToleranceSeconds = 5): TokenVerifier {
  if (secrets.length === 0) throw new Error('REDRESS_JWT_SECRET is not set: local admin tokens cannot be verified');
  const keys = secrets.map((s) => new TextEncoder().encode(s));
  return async (token) => {
    if (token.length > MAX_TOKEN_LENGTH || token.split('.').length !== 3) throw new UnauthorizedError('The bearer token is not a JWT.');
    for (const key of keys) {
      try {
        const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'], requiredClaims: ['exp', 'sub'], clockTolerance: clockToleranceSeconds });
        return payload as JwtClaims;
      } catch (err) {
        const code = (err as { code?: string }).code;
        // Only a bad signature is worth trying the next key; anything else fails the same under every key.
        if (code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED') continue;
        if (code === 'ERR_JWT_EXPIRED') throw new UnauthorizedError('The token has expired.');
        throw new UnauthorizedError('The bearer token is not valid.');
      }
    }
    throw new UnauthorizedError('The token signature does not verify.');
  };
}

/** The token of an `Authorization: Bearer …` header, or undefined. */
export function bearerToken(headers: Record<string, string | undefined> | undefined): string | undefined {
  const value = lowerHeaders(headers).authorization;
  const match = value?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1];
}

/**
 * Puts the local stand-in for API Gateway's JWT authorizer in front of a handler: a missing or invalid
 * token is answered 401 (problem+json, thrown for the caller to render) before the handler runs; a
 * valid one is handed over as `requestContext.authorizer.jwt.claims`, exactly where AWS puts it.
 */
export function withLocalJwtAuthorizer(
  handler: (event: HttpEvent) => Promise<HttpResult>,
  verify: TokenVerifier,
): (event: HttpEvent) => Promise<HttpResult> {
  return async (event) => {
    const token = bearerToken(event.headers);
    if (!token) throw new UnauthorizedError('A bearer token is required (Authorization: Bearer <jwt>).');
    const claims = await verify(token);
    const requestContext = { ...event.requestContext, authorizer: { jwt: { claims, scopes: [] } } } as unknown as HttpEvent['requestContext'];
    return handler({ ...event, requestContext });
  };
}

/** Signs a local admin token (the `npm run token` script and tests). */
export async function signLocalToken(secret: string, claims: { sub: string; groups: string[]; ttlSeconds?: number; now?: Date }): Promise<string> {
  const iat = Math.floor((claims.now ?? new Date()).getTime() / 1000);
  return new SignJWT({ 'cognito:groups': claims.groups })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuedAt(iat)
    .setExpirationTime(iat + (claims.ttlSeconds ?? 3600))
    .sign(new TextEncoder().encode(secret));
}
