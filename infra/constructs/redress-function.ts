/**
 * A Lambda function as every Redress function is built: Node.js 22 on ARM64, an ESM bundle made by the
 * local esbuild (never Docker), minified, importing the AWS SDK v3 the runtime provides (not bundled: see
 * LAMBDA_EXTERNAL_MODULES in infra/bundling/esbuild-options.ts), X-Ray active tracing (unless the stage turns
 * it off) and a log group with retention.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { fileURLToPath } from 'node:url';
import { LAMBDA_ESBUILD_OPTIONS } from '../bundling/esbuild-options.ts';

export interface RedressFunctionProps {
  /** Entry file, relative to the project root (e.g. `functions/ingest/index.ts`). */
  entry: string;
  description: string;
  timeout: Duration;
  memorySize?: number;
  environment?: Record<string, string>;
  logRetentionDays: number;
  /** X-Ray active tracing (the stage's `tracing`); on unless false. */
  tracing?: boolean;
}

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * LAMBDA_ESBUILD_OPTIONS as CDK bundling props (the esbuild CLI flags CDK passes). The bench and the
 * bundle tests build with the esbuild API from the same options, and test/infra/bundles.test.ts checks
 * that CDK's bundle is byte for byte the one they measure.
 */
export function lambdaBundling(): BundlingOptions {
  const o = LAMBDA_ESBUILD_OPTIONS;
  return {
    format: OutputFormat.ESM,
    target: o.target,
    minify: o.minify,
    // No source maps: they double the asset and slow module initialisation; our logs carry error
    // names and messages, and the handlers are small enough to read minified stack frames against.
    sourceMap: o.sourcemap,
    // The runtime's AWS SDK, nothing else: every other dependency is bundled.
    externalModules: [...o.external],
    mainFields: [...o.mainFields],
    banner: o.banner.js,
    forceDockerBundling: false,
    // As flags: this CDK version drops its own `charset` prop from the esbuild command line.
    esbuildArgs: {
      '--charset': o.charset,
      '--legal-comments': o.legalComments,
    },
  };
}

export class RedressFunction extends Construct {
  readonly fn: NodejsFunction;

  constructor(scope: Construct, id: string, props: RedressFunctionProps) {
    super(scope, id);
    const logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetentionDays as RetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.fn = new NodejsFunction(this, 'Function', {
      entry: `${PROJECT_ROOT}${props.entry}`,
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: `${PROJECT_ROOT}package-lock.json`,
      handler: 'handler',
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout,
      // Off: no TracingConfig and no X-Ray statement on the role (CDK adds both only for an active mode).
      ...(props.tracing === false ? {} : { tracing: Tracing.ACTIVE }),
      logGroup,
      environment: { ...props.environment },
      bundling: lambdaBundling(),
    });
  }
}
