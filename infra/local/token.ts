/**
 * `npm run token -- --role supervisor --sub alice [--ttl 3600]`: prints a local admin token (HS256 JWT
 * with `sub`, `cognito:groups` and `exp`), signed with the first value of REDRESS_JWT_SECRET or the
 * development default, for the local stack's admin API.
 */
import { parseArgs } from 'node:util';
import { ROLES } from '../../schemas/admin.ts';
import { signLocalToken } from '../../functions/shared/auth/local-jwt.ts';
import { secretList } from '../../functions/shared/config.ts';
import { withDevDefaults } from './dev-defaults.ts';

const { values } = parseArgs({
  options: { role: { type: 'string', default: 'agent' }, sub: { type: 'string', default: 'dev-user' }, ttl: { type: 'string', default: '3600' } },
  allowPositionals: false,
});
const roles = (values.role ?? 'agent').split(',').map((r) => r.trim());
const unknown = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
const ttl = Number(values.ttl);
if (unknown.length || !Number.isInteger(ttl) || ttl <= 0) {
  process.stderr.write(`usage: npm run token -- --role ${ROLES.join('|')} --sub <user id> [--ttl <seconds>]\n`);
  process.exit(2);
}
const secret = secretList(withDevDefaults(process.env).env.REDRESS_JWT_SECRET)[0]!;
process.stdout.write((await signLocalToken(secret, { sub: values.sub ?? 'dev-user', groups: roles, ttlSeconds: ttl })) + '\n');
