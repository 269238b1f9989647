/**
 * `npm run token -- --role supervisor --sub alice [--ttl 3600]`: prints a local admin token (HS256 JWT
 * with `sub`, `cognito:groups`, `iat` and `exp`, plus `iss` / `aud` when REDRESS_JWT_ISSUER /
 * REDRESS_JWT_AUDIENCE are set: their first values), signed with the first value of REDRESS_JWT_SECRET or
 * the development default, for the local stack's admin API. A `--ttl` longer than the verifier accepts
 * (REDRESS_JWT_MAX_LIFETIME, default 12 h) is refused here rather than printing a token that would be 401.
 */
import { parseArgs } from 'node:util';
import { ROLES } from '../../schemas/admin.ts';
import { localJwtOptions, signLocalToken } from '../../functions/shared/auth/local-jwt.ts';
import { secretList } from '../../functions/shared/config.ts';
import { withDevDefaults } from './dev-defaults.ts';

const { values } = parseArgs({
  options: { role: { type: 'string', default: 'agent' }, sub: { type: 'string', default: 'dev-user' }, ttl: { type: 'string', default: '3600' } },
  allowPositionals: false,
});
const env = withDevDefaults(process.env).env;
const options = localJwtOptions(env);
const roles = (values.role ?? 'agent').split(',').map((r) => r.trim());
const unknown = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
const ttl = Number(values.ttl);
const maxTtl = options.maxLifetimeSeconds!;
if (unknown.length || !Number.isInteger(ttl) || ttl <= 0 || ttl > maxTtl) {
  process.stderr.write(`usage: npm run token -- --role ${ROLES.join('|')} --sub <user id> [--ttl <seconds, at most ${maxTtl}>]\n`);
  process.exit(2);
}
const secret = secretList(env.REDRESS_JWT_SECRET)[0]!;
const claims = {
  sub: values.sub ?? 'dev-user',
  groups: roles,
  ttlSeconds: ttl,
  ...(options.issuers ? { issuer: options.issuers[0]! } : {}),
  ...(options.audiences ? { audience: options.audiences[0]! } : {}),
};
process.stdout.write((await signLocalToken(secret, claims)) + '\n');
