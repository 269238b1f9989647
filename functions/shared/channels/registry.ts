/** Every channel adapter, configured from the environment (the same list in Lambda and locally). */
import type { ChannelAdapter } from './channel.ts';
import { createConnectAdapter } from './connect.ts';
import { createMetaAdapter } from './meta.ts';
import { createOwnChannelAdapters } from './standard-webhooks.ts';
import { createTwilioAdapter } from './twilio.ts';
import { createWechatAdapter } from './wechat.ts';
import { createXAdapter } from './x.ts';

/** The adapters for all webhook routes, each reading its own secrets from `env`. */
export function createChannelAdapters(env: NodeJS.ProcessEnv): ChannelAdapter[] {
  return [
    ...createOwnChannelAdapters(env),
    createMetaAdapter(env),
    createXAdapter(env),
    createWechatAdapter(env),
    createTwilioAdapter(env),
    createConnectAdapter(env),
  ];
}

/** The adapter serving `route` (the path after /webhooks/): an exact match, else the longest sub-path owner. */
export function findAdapter(adapters: ChannelAdapter[], route: string): ChannelAdapter | undefined {
  const exact = adapters.find((a) => a.route === route);
  if (exact) return exact;
  return adapters
    .filter((a) => a.acceptsSubPaths && route.startsWith(`${a.route}/`))
    .sort((a, b) => b.route.length - a.route.length)[0];
}
