/**
 * The bank's back ends on one machine: where the local stack's web, mobile and hotline replies go when
 * `REDRESS_{WEB,MOBILE,HOTLINE}_REPLY_URL` are not set (`POST /local/replies/{channel}`). It verifies
 * the Standard Webhooks signature with the channel's secret, as a back end must, keeps each callback
 * (by `webhook-id`, so a repeated delivery is kept once) and lists them at `GET /local/replies`.
 * Not journaled: it is a development aid, not a store.
 */
import { decodeWebhookSecret, verifyStandardWebhook } from '../../functions/shared/channels/standard-webhooks.ts';

export interface ReceivedReply {
  channel: string;
  webhookId: string;
  receivedAt: string;
  body: unknown;
}

const CHANNELS = ['web', 'mobile', 'hotline'] as const;

/** The env with each own channel's reply URL defaulted to this stack's inbox. */
export function withLocalReplyUrls(env: NodeJS.ProcessEnv, url: string): NodeJS.ProcessEnv {
  const out = { ...env };
  for (const channel of CHANNELS) {
    const key = `REDRESS_${channel.toUpperCase()}_REPLY_URL`;
    if (!out[key]) out[key] = `${url}/local/replies/${channel}`;
  }
  return out;
}

export class LocalReplyInbox {
  private readonly received = new Map<string, ReceivedReply>();

  constructor(private readonly secrets: (channel: string) => string[]) {}

  /** Takes one callback: 204 when signed by the channel's secret (a repeat changes nothing), 401 otherwise, 404 for another channel. */
  receive(channel: string, headers: Record<string, string | undefined>, body: Buffer): number {
    if (!(CHANNELS as readonly string[]).includes(channel)) return 404;
    let webhookId: string;
    try {
      const clean = Object.fromEntries(Object.entries(headers).flatMap(([k, v]) => (v === undefined ? [] : [[k.toLowerCase(), v]])));
      webhookId = verifyStandardWebhook(clean, body, this.secrets(channel).map(decodeWebhookSecret), new Date()).id;
    } catch {
      return 401;
    }
    if (!this.received.has(webhookId)) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(body.toString('utf8'));
      } catch {
        parsed = body.toString('utf8');
      }
      this.received.set(webhookId, { channel, webhookId, receivedAt: new Date().toISOString(), body: parsed });
    }
    return 204;
  }

  list(): ReceivedReply[] {
    return [...this.received.values()];
  }
}
