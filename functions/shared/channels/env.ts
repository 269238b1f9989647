/**
 * The variables the channel adapters read, declared once for every function that builds them (ingest's
 * webhook adapters; the reply router of the reply, admin and process functions). In AWS most are keys of
 * the channel secret, overlaid on the environment at cold start and on every refresh
 * (adapters/aws/secrets.ts); the adapters read them from that overlay and say themselves what is missing
 * (an unconfigured channel answers 503, an unconfigured reply source fails its replies). Declaring them
 * here lets test/infra/runtime-config.test.ts hold the README to them, and the adapters to this list.
 */
import { setting } from '../runtime-config.ts';

/** What the webhook adapters verify with (ingest): the platforms' secrets, and the customer-key secret. */
export const webhookEnv = {
  REDRESS_WEB_SECRET: setting(),
  REDRESS_MOBILE_SECRET: setting(),
  REDRESS_HOTLINE_SECRET: setting(),
  REDRESS_TWILIO_AUTH_TOKEN: setting(),
  REDRESS_CONNECT_KEY: setting(),
  REDRESS_PUBLIC_URL: setting(),
  REDRESS_META_APP_SECRET: setting(),
  REDRESS_META_VERIFY_TOKEN: setting(),
  REDRESS_X_CONSUMER_SECRET: setting(),
  REDRESS_WECHAT_TOKEN: setting(),
  REDRESS_WECHAT_AES_KEY: setting(),
  REDRESS_WECHAT_APP_ID: setting(),
  REDRESS_WECHAT_MODE: setting(),
  REDRESS_CUSTOMER_KEY_SECRET: setting(),
};

/** What the reply router sends with (reply-router.ts): platform credentials, base URLs and the back ends' reply URLs. */
export const replyCredentialEnv = {
  REDRESS_META_GRAPH_URL: setting(),
  REDRESS_META_PAGE_TOKENS: setting(),
  REDRESS_META_INSTAGRAM_PAGES: setting(),
  REDRESS_WHATSAPP_TOKEN: setting(),
  REDRESS_WHATSAPP_TEMPLATE: setting(),
  REDRESS_X_API_URL: setting(),
  REDRESS_X_CONSUMER_KEY: setting(),
  REDRESS_X_CONSUMER_SECRET: setting(),
  REDRESS_X_ACCESS_TOKEN: setting(),
  REDRESS_X_ACCESS_TOKEN_SECRET: setting(),
  REDRESS_WECHAT_API_URL: setting(),
  REDRESS_WECHAT_APP_ID: setting(),
  REDRESS_WECHAT_APP_SECRET: setting(),
  REDRESS_TWILIO_API_URL: setting(),
  REDRESS_TWILIO_ACCOUNT_SID: setting(),
  REDRESS_TWILIO_AUTH_TOKEN: setting(),
  REDRESS_TWILIO_FROM: setting(),
  REDRESS_PUBLIC_URL: setting(),
  REDRESS_WEB_REPLY_URL: setting(),
  REDRESS_MOBILE_REPLY_URL: setting(),
  REDRESS_HOTLINE_REPLY_URL: setting(),
  REDRESS_WEB_SECRET: setting(),
  REDRESS_MOBILE_SECRET: setting(),
  REDRESS_HOTLINE_SECRET: setting(),
  REDRESS_REPLY_TIMEOUT_SECONDS: setting(),
};
