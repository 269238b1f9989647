import { describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import { httpEvent } from '../../../test/helpers/http-events.ts';
import { UnauthorizedError } from '../errors.ts';
import { json } from '../http.ts';
import { DEFAULT_MAX_TOKEN_LIFETIME_SECONDS, bearerToken, createLocalJwtVerifier, localJwtOptions, signLocalToken, withLocalJwtAuthorizer } from './local-jwt.ts';
import { claimsFromEvent, groupsOf, hasRole, principalFromClaims, principalOf } from './principal.ts';

const SECRET = 'test-jwt-secret-0000000000000000000001';
const OTHER = 'test-jwt-secret-0000000000000000000002';
const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const nowSec = () => Math.floor(Date.now() / 1000);

describe('local JWT verification', () => {
  const verify = createLocalJwtVerifier([SECRET]);

  it('accepts an HS256 token with sub, cognito:groups and exp', async () => {
    const token = await signLocalToken(SECRET, { sub: 'alice', groups: ['supervisor'] });
    const claims = await verify(token);
    expect(principalFromClaims(claims)).toEqual({ sub: 'alice', roles: ['supervisor'] });
  });

  it.each([
    ['signed with another secret', async () => signLocalToken(OTHER, { sub: 'a', groups: ['admin'] })],
    ['expired', async () => signLocalToken(SECRET, { sub: 'a', groups: ['admin'], now: new Date(Date.now() - 7200_000), ttlSeconds: 60 })],
    ['alg none', async () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'm', 'cognito:groups': ['admin'], exp: nowSec() + 3600 })}.`],
    ['without exp', async () => new SignJWT({ 'cognito:groups': ['admin'] }).setProtectedHeader({ alg: 'HS256' }).setSubject('a').sign(new TextEncoder().encode(SECRET))],
    ['without sub', async () => new SignJWT({ 'cognito:groups': ['admin'] }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime(nowSec() + 60).sign(new TextEncoder().encode(SECRET))],
    ['HS512', async () => new SignJWT({ 'cognito:groups': ['admin'] }).setProtectedHeader({ alg: 'HS512' }).setSubject('a').setExpirationTime(nowSec() + 60).sign(new TextEncoder().encode(SECRET))],
    ['garbage', async () => 'x.y.z'],
    ['not a JWT', async () => 'abc'],
  ])('refuses a token %s with 401', async (_label, make) => {
    await expect(verify(await make())).rejects.toBeInstanceOf(UnauthorizedError);
  });

  it('verifies with any active secret (rotation)', async () => {
    const rotating = createLocalJwtVerifier([OTHER, SECRET]);
    const claims = await rotating(await signLocalToken(SECRET, { sub: 'bob', groups: ['agent'] }));
    expect(claims.sub).toBe('bob');
  });
});

describe('issuer, audience and lifetime', () => {
  const key = new TextEncoder().encode(SECRET);
  const sign = (claims: Record<string, unknown>) => new SignJWT({ sub: 'a', 'cognito:groups': ['agent'], ...claims }).setProtectedHeader({ alg: 'HS256' }).sign(key);

  it('accepts a token naming a configured issuer and audience', async () => {
    const verify = createLocalJwtVerifier([SECRET], { issuers: ['https://idp.example', 'other'], audiences: ['redress-admin'] });
    const token = await signLocalToken(SECRET, { sub: 'alice', groups: ['agent'], issuer: 'https://idp.example', audience: 'redress-admin' });
    expect((await verify(token)).iss).toBe('https://idp.example');
  });

  it.each([
    ['without iss', { aud: 'redress-admin' }],
    ['from another issuer', { iss: 'https://evil.example', aud: 'redress-admin' }],
    ['without aud', { iss: 'https://idp.example' }],
    ['for another audience', { iss: 'https://idp.example', aud: 'billing' }],
  ])('refuses a token %s when issuer and audience are configured', async (_label, claims) => {
    const verify = createLocalJwtVerifier([SECRET], { issuers: ['https://idp.example'], audiences: ['redress-admin'] });
    await expect(verify(await sign({ ...claims, iat: nowSec(), exp: nowSec() + 60 }))).rejects.toBeInstanceOf(UnauthorizedError);
  });

  it('ignores iss and aud when none is configured', async () => {
    const verify = createLocalJwtVerifier([SECRET]);
    expect((await verify(await sign({ iss: 'anyone', aud: 'anything', iat: nowSec(), exp: nowSec() + 60 }))).sub).toBe('a');
  });

  it.each([
    ['exp - iat over 12 hours', () => ({ iat: nowSec(), exp: nowSec() + DEFAULT_MAX_TOKEN_LIFETIME_SECONDS + 3600 })],
    ['no iat and exp more than 12 hours away', () => ({ exp: nowSec() + 30 * 86_400 })],
    ['iat in the future (a long-lived token in disguise)', () => ({ iat: nowSec() + 10 * 365 * 86_400, exp: nowSec() + 10 * 365 * 86_400 + 60 })],
  ])('refuses a token with %s', async (_label, claims) => {
    const verify = createLocalJwtVerifier([SECRET]);
    await expect(verify(await sign(claims()))).rejects.toThrow(/lives longer|future/);
  });

  it('accepts a 12-hour token, and a configured maximum replaces the default', async () => {
    const twelveHours = await sign({ iat: nowSec(), exp: nowSec() + DEFAULT_MAX_TOKEN_LIFETIME_SECONDS });
    expect((await createLocalJwtVerifier([SECRET])(twelveHours)).sub).toBe('a');
    await expect(createLocalJwtVerifier([SECRET], { maxLifetimeSeconds: 600 })(twelveHours)).rejects.toBeInstanceOf(UnauthorizedError);
    expect((await createLocalJwtVerifier([SECRET], { maxLifetimeSeconds: 600 })(await sign({ exp: nowSec() + 300 }))).sub).toBe('a');
  });

  it('reads its options from REDRESS_JWT_ISSUER, REDRESS_JWT_AUDIENCE and REDRESS_JWT_MAX_LIFETIME', () => {
    expect(localJwtOptions({})).toEqual({ maxLifetimeSeconds: DEFAULT_MAX_TOKEN_LIFETIME_SECONDS });
    expect(localJwtOptions({ REDRESS_JWT_ISSUER: 'a, b', REDRESS_JWT_AUDIENCE: 'redress-admin', REDRESS_JWT_MAX_LIFETIME: 'PT1H' })).toEqual({
      issuers: ['a', 'b'],
      audiences: ['redress-admin'],
      maxLifetimeSeconds: 3600,
    });
    expect(() => localJwtOptions({ REDRESS_JWT_MAX_LIFETIME: '12 hours' })).toThrow();
    expect(() => localJwtOptions({ REDRESS_JWT_MAX_LIFETIME: 'PT0S' })).toThrow(/positive/);
  });
});

describe('claims and principals', () => {
  it('reads cognito:groups as an array or as API Gateway flattens it', () => {
    expect(groupsOf(['agent', 'supervisor'])).toEqual(['agent', 'supervisor']);
    expect(groupsOf('[agent supervisor]')).toEqual(['agent', 'supervisor']);
    expect(groupsOf('admin')).toEqual(['admin']);
    expect(groupsOf(undefined)).toEqual([]);
  });

  it('ignores unknown groups and ranks roles', () => {
    const p = principalFromClaims({ sub: 'x', 'cognito:groups': ['auditor', 'supervisor'] });
    expect(p.roles).toEqual(['supervisor']);
    expect(hasRole(p, 'agent')).toBe(true);
    expect(hasRole(p, 'admin')).toBe(false);
  });

  it('reads the claims API Gateway JWT authorizers put on the event', () => {
    const event = httpEvent('GET', '/admin/complaints');
    expect(() => principalOf(event)).toThrow(UnauthorizedError);
    (event.requestContext as unknown as Record<string, unknown>).authorizer = { jwt: { claims: { sub: 'sup-1', 'cognito:groups': '[supervisor]' }, scopes: [] } };
    expect(claimsFromEvent(event)?.sub).toBe('sup-1');
    expect(principalOf(event)).toEqual({ sub: 'sup-1', roles: ['supervisor'] });
  });

  it('the local authorizer hands the handler the verified claims, and refuses a missing bearer token', async () => {
    const verify = createLocalJwtVerifier([SECRET]);
    const seen: unknown[] = [];
    const guarded = withLocalJwtAuthorizer(async (event) => {
      seen.push(claimsFromEvent(event));
      return json(200, {});
    }, verify);
    const token = await signLocalToken(SECRET, { sub: 'alice', groups: ['agent'] });
    await guarded(httpEvent('GET', '/admin/complaints', '', { authorization: `Bearer ${token}` }));
    expect(seen[0]).toMatchObject({ sub: 'alice', 'cognito:groups': ['agent'] });
    await expect(guarded(httpEvent('GET', '/admin/complaints', '', { authorization: 'Basic YTpi' }))).rejects.toBeInstanceOf(UnauthorizedError);
    expect(bearerToken({ Authorization: 'bearer abc' })).toBe('abc');
  });
});
