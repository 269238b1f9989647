/**
 * Stand-in for `@aws-sdk/credential-provider-node` in Lambda bundles (an esbuild alias). A Lambda
 * function's credentials are always in its environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
 * AWS_SESSION_TOKEN), so the full default chain (SSO, INI files, process, web identity, instance
 * metadata, and the STS/SSO clients they bundle) is dead weight there: about 100 KB and part of every
 * cold start. Locally and in tests the real chain is used.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';

export const defaultProvider = (init?: Parameters<typeof fromEnv>[0]) => fromEnv(init);
