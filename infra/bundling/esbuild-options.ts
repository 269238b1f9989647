/**
 * The esbuild options of every Lambda bundle, in one place: RedressFunction turns them into CDK bundling
 * props, and bench/lib (cold-start figures, bundle report) builds with them directly, so what is
 * measured is what is deployed.
 */
import type { BuildOptions } from 'esbuild';

/**
 * Packages the Lambda runtime provides and the bundles import from it instead of carrying them: the AWS
 * SDK for JavaScript v3 that the nodejs22.x runtime includes (CDK's own default for this runtime).
 * The SDK clients were 192–226 KB of every bundle, more than half of each, which kept the bundles above
 * the 250 KB goal however much of the rest was trimmed. The price, weighed in the README (Benchmarks):
 * the runtime's SDK version is AWS's, not our lockfile's (it moves when AWS updates the runtime), and a
 * module resolved from node_modules initialises more slowly than the same code in one minified file.
 * Only `@aws-sdk/*`: `@smithy/*` helpers our code imports directly stay bundled (a few KB), since the
 * runtime documents the SDK's packages, not its dependencies'.
 */
export const LAMBDA_EXTERNAL_MODULES = ['@aws-sdk/*'];

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
  external: LAMBDA_EXTERNAL_MODULES,
} satisfies BuildOptions;
