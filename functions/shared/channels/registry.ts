/** Every channel adapter, configured from the environment (the same list in Lambda and locally). */
import type { ChannelAdapter } from './channel.ts';
import { createOwnChannelAdapters } from './standard-webhooks.ts';

/** The adapters for all webhook routes, each reading its own secrets from `env`. */
export function createChannelAdapters(env: NodeJS.ProcessEnv): ChannelAdapter[] {
  return [...createOwnChannelAdapters(env)];
}
