/**
 * The esbuild options of every Lambda bundle, in one place: RedressFunction turns them into CDK bundling
 * props, and bench/lib (cold-start figures, bundle report) builds with them directly, so what is
 * measured is what is deployed.
 */
import type { BuildOptions } from 'esbuild';
import { fileURLToPath } from 'node:url';

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * esbuild aliases for Lambda bundles: parts of the AWS SDK that a Lambda function never runs, replaced by
 * what it does run there. Each stand-in says why it is identical in Lambda; locally and in tests the real
 * modules are used. (esbuild aliases only apply to package paths, so a whole package or package subpath is
 * replaced, never a file inside one.)
 */
export const LAMBDA_BUNDLE_ALIASES: Record<string, string> = {
  // The default credential chain becomes the environment provider: about 100 KB less and a faster init.
  '@aws-sdk/credential-provider-node': `${PROJECT_ROOT}infra/bundling/lambda-credentials.ts`,
  // Event-stream serde, dynamically imported only by operations none of our clients has: about 15 KB.
  '@smithy/core/event-streams': `${PROJECT_ROOT}infra/bundling/no-event-streams.ts`,
  // Hashes without their pure-JavaScript fallbacks (Node 22 always has the native ones): about 5 KB.
  '@smithy/core/checksum': `${PROJECT_ROOT}infra/bundling/node-checksums.ts`,
  // DynamoDB's endpoint-discovery cache on a Map instead of mnemonist: about 7 KB.
  'mnemonist/lru-cache': `${PROJECT_ROOT}infra/bundling/lru-cache.ts`,
};

/** ESM bundles still meet CommonJS dependencies that call require(). */
export const LAMBDA_BANNER = "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);";

/** The esbuild build options (less entry and output) of a Lambda bundle. */
export const LAMBDA_ESBUILD_OPTIONS = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  minify: true,
  sourcemap: false,
  // Non-ASCII text (Chinese keywords, holiday names, the classifier's lexicon) as UTF-8 rather than
  // \uXXXX escapes: up to half the bytes for that text, and Node reads modules as UTF-8 anyway.
  charset: 'utf8',
  // No legal-comment blocks collected at the end of the bundle (the licences stay in node_modules).
  legalComments: 'none',
  mainFields: ['module', 'main'],
  banner: { js: LAMBDA_BANNER },
  alias: LAMBDA_BUNDLE_ALIASES,
} satisfies BuildOptions;
