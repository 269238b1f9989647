/**
 * `npm start`: the whole stack on http://127.0.0.1:${PORT:-3000}, data under ${REDRESS_DATA_DIR:-.redress}.
 * Prints the development defaults it filled in for unset secrets, and stops cleanly on SIGINT/SIGTERM.
 */
import { resolve } from 'node:path';
import { createLogger } from '../../functions/shared/logger.ts';
import { withDevDefaults } from './dev-defaults.ts';
import { startLocalStack } from './local-stack.ts';
import { datasetsDirOf, describeFaqSeed, seedSampleFaq } from './sample-faq-seed.ts';

const logger = createLogger('local');
const { env, defaulted } = withDevDefaults(process.env);
// On a developer's machine WeChat deliveries are posted by hand or by test tools in both shapes, so the
// local stack accepts plaintext beside encrypted messages unless told otherwise (each signed nonce still
// once). Deployed functions default to safe mode whenever an EncodingAESKey is set (functions/shared/channels/wechat.ts).
if (!env.REDRESS_WECHAT_MODE?.trim() && env.REDRESS_WECHAT_AES_KEY) {
  env.REDRESS_WECHAT_MODE = 'compatible';
  defaulted.push('REDRESS_WECHAT_MODE');
}
const port = Number(env.PORT ?? 3000);
const dataDir = resolve(env.REDRESS_DATA_DIR ?? '.redress');

const stack = await startLocalStack({ env, dataDir, port, host: env.HOST ?? '127.0.0.1', logger });
// The sample FAQ (into an empty store only), so suggested answers show on the first inquiry.
const faqSeed = await seedSampleFaq(stack.faq, env);

const lines = [
  `Redress local stack ready on ${stack.url} (data in ${dataDir})`,
  `  webhooks: POST ${stack.url}/webhooks/{web,mobile,hotline}`,
  `  events:   GET  ${stack.url}/local/events   health: GET ${stack.url}/health`,
  describeFaqSeed(faqSeed, datasetsDirOf(env)),
];
if (defaulted.length) {
  lines.push('  development defaults in use (set these variables to override; never use the defaults outside your machine):');
  for (const name of defaulted) lines.push(`    ${name}=${env[name]}`);
}
process.stdout.write(lines.join('\n') + '\n');

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  logger.info('stopping', { signal });
  await stack.close().catch(() => undefined);
  process.exit(0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
