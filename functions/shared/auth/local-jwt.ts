/**
 * Local admin tokens: HS256 JWTs signed with `REDRESS_JWT_SECRET` (its UTF-8 bytes; every value of the
 * comma-separated list verifies, the first signs). Only HS256 is accepted, so `alg: none` and
 * algorithm-confusion tokens fail; `exp` and `sub` are required. When `REDRESS_JWT_ISSUER` /
 * `REDRESS_JWT_AUDIENCE` are set, `iss` / `aud` must name one of their values. A token may live at most
 * `REDRESS_JWT_MAX_LIFETIME` (default 12 hours) from its `iat` (or from now, without one), and may not be
 * issued in the future: a leaked long-lived token is not a permanent key. In AWS the HTTP API JWT
 * authorizer (Cognito) does this job instead; both hand the handler the same claims.
 */
import { SignJWT, jwtVerify } from 'jose';
import { parseIsoDuration } from '../clocks/duration.ts';
import { ConfigurationError, secretList } from '../config.ts';
import { UnauthorizedError } from '../errors.ts';
import type { HttpEvent, HttpResult } from '../http.ts';
import { lowerHeaders } from '../http.ts';
import type { JwtClaims } from './principal.ts';

/** Verifies a compact JWT and resolves its claims, or rejects with UnauthorizedError. */
export type TokenVerifier = (token: string) => Promise<JwtClaims>;

const MAX_TOKEN_LENGTH = 8192;
/** The longest a local token may live unless REDRESS_JWT_MAX_LIFETIME says otherwise. */
export const DEFAULT_MAX_TOKEN_LIFETIME_SECONDS = 12 * 3600;

export interface LocalJwtOptions {
  /** Accepted `iss` values; when given, a token without one of them is refused. */
  issuers?: string[];
  /** Accepted `aud` values; when given, a token whose `aud` names none of them is refused. */
  audiences?: string[];
  /** The longest `exp - iat` (or `exp - now` without `iat`) accepted, in seconds. */
  maxLifetimeSeconds?: number;
  /** Allowed skew for `exp`, `nbf` and `iat`, in seconds (default 5). */
  clockToleranceSeconds?: number;
}

/**
 * The verifier's options from the environment: `REDRESS_JWT_ISSUER`, `REDRESS_JWT_AUDIENCE` (comma-separated
 * lists) and `REDRESS_JWT_MAX_LIFETIME` (an ISO 8601 duration such as `PT12H`). Throws on a bad duration, so
 * a misconfigured stack refuses to start rather than accept every lifetime.
 */
export function localJwtOptions(env: Record<string, string | undefined>): LocalJwtOptions {
  const issuers = secretList(env.REDRESS_JWT_ISSUER);
  const audiences = secretList(env.REDRESS_JWT_AUDIENCE);
  const lifetime = env.REDRESS_JWT_MAX_LIFETIME?.trim();
  const maxLifetimeSeconds = lifetime ? parseIsoDuration(lifetime) / 1000 : DEFAULT_MAX_TOKEN_LIFETIME_SECONDS;
  if (!(maxLifetimeSeconds > 0)) throw new ConfigurationError('REDRESS_JWT_MAX_LIFETIME must be a positive duration');
  return { ...(issuers.length ? { issuers } : {}), ...(audiences.length ? { audiences } : {}), maxLifetimeSeconds };
}

/** Why the token's lifetime is refused, or undefined when it is within `max` seconds. */
function lifetimeRefusal(claims: JwtClaims, maxSeconds: number, toleranceSeconds: number, nowSeconds: number): string | undefined {
  const exp = claims.exp as number;
  const iat = typeof claims.iat === 'number' ? claims.iat : undefined;
  if (iat !== undefined && iat > nowSeconds + toleranceSeconds) return 'The token was issued in the future (iat).';
  const lifetime = exp - (iat ?? nowSeconds);
  if (lifetime > maxSeconds + toleranceSeconds) return `The token lives longer than the ${maxSeconds} s allowed (exp - ${iat !== undefined ? 'iat' : 'now'} = ${Math.round(lifetime)} s).`;
  return undefined;
}

/**
 * A verifier over the active secrets (rotation: any of them verifies).
 * @param secrets the values of REDRESS_JWT_SECRET, first one used for signing elsewhere.
 * @param options issuer and audience checks, lifetime cap, clock tolerance (see localJwtOptions).
 */
export function createLocalJwtVerifier(secrets: string[], options: LocalJwtOptions = {}): TokenVerifier {
  if (secrets.length === 0) throw new ConfigurationError('REDRESS_JWT_SECRET is not set: local admin tokens cannot be verified');
  const keys = secrets.map((s) => new TextEncoder().encode(s));
  const tolerance = options.clockToleranceSeconds ?? 5;
  const maxLifetime = options.maxLifetimeSeconds ?? DEFAULT_MAX_TOKEN_LIFETIME_SECONDS;
  const checks = {
    algorithms: ['HS256'],
    requiredClaims: ['exp', 'sub'],
    clockTolerance: tolerance,
    ...(options.issuers?.length ? { issuer: options.issuers } : {}),
    ...(options.audiences?.length ? { audience: options.audiences } : {}),
  };
  return async (token) => {
    if (token.length > MAX_TOKEN_LENGTH || token.split('.').length !== 3) throw new UnauthorizedError('The bearer token is not a JWT.');
    for (const key of keys) {
      let claims: JwtClaims;
      try {
        claims = (await jwtVerify(token, key, checks)).payload as JwtClaims;
      } catch (err) {
        const code = (err as { code?: string; claim?: string }).code;
        // Only a bad signature is worth trying the next key; anything else fails the same under every key.
        if (code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED') continue;
        if (code === 'ERR_JWT_EXPIRED') throw new UnauthorizedError('The token has expired.');
        const claim = (err as { claim?: string }).claim;
        if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && (claim === 'iss' || claim === 'aud')) throw new UnauthorizedError(`The token's ${claim} is not accepted here.`);
        throw new UnauthorizedError('The bearer token is not valid.');
      }
      const refusal = lifetimeRefusal(claims, maxLifetime, tolerance, Math.floor(Date.now() / 1000));
      if (refusal) throw new UnauthorizedError(refusal);
      return claims;
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

/** Signs a local admin token (the `npm run token` script and tests), with `iss` / `aud` when given. */
export async function signLocalToken(
  secret: string,
  claims: { sub: string; groups: string[]; ttlSeconds?: number; now?: Date; issuer?: string; audience?: string },
): Promise<string> {
  const iat = Math.floor((claims.now ?? new Date()).getTime() / 1000);
  let jwt = new SignJWT({ 'cognito:groups': claims.groups })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuedAt(iat)
    .setExpirationTime(iat + (claims.ttlSeconds ?? 3600));
  if (claims.issuer) jwt = jwt.setIssuer(claims.issuer);
  if (claims.audience) jwt = jwt.setAudience(claims.audience);
  return jwt.sign(new TextEncoder().encode(secret));
}
