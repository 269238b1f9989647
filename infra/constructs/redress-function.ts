/**
 * A Lambda function as every Redress function is built: Node.js 22 on ARM64, an ESM bundle made by the
 * local esbuild (never Docker), minified, with the AWS SDK bundled (pinned by our lockfile, and a smaller
 * cold start than loading the runtime's copy) minus the credential chain a Lambda never uses, X-Ray
 * tracing and a log group with retention.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { fileURLToPath } from 'node:url';

export interface RedressFunctionProps {
  /** Entry file, relative to the project root (e.g. `functions/ingest/index.ts`). */
  entry: string;
  description: string;
  timeout: Duration;
  memorySize?: number;
  environment?: Record<string, string>;
  logRetentionDays: number;
}

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * esbuild aliases for Lambda bundles: the SDK's default credential chain is replaced by the environment
 * provider (see infra/bundling/lambda-credentials.ts): about 100 KB less per bundle and a faster init.
 */
export const LAMBDA_BUNDLE_ALIASES: Record<string, string> = {
  '@aws-sdk/credential-provider-node': `${PROJECT_ROOT}infra/bundling/lambda-credentials.ts`,
};

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
      tracing: Tracing.ACTIVE,
      logGroup,
      environment: { ...props.environment },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        minify: true,
        // No source maps: they double the asset and slow module initialisation; our logs carry error
        // names and messages, and the handlers are small enough to read minified stack frames against.
        sourceMap: false,
        // Bundle the SDK too: nothing is external.
        externalModules: [],
        mainFields: ['module', 'main'],
        // ESM bundles still meet CommonJS dependencies that call require().
        banner: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
        forceDockerBundling: false,
        esbuildArgs: Object.fromEntries(Object.entries(LAMBDA_BUNDLE_ALIASES).map(([from, to]) => [`--alias:${from}`, to])),
      },
    });
  }
}
