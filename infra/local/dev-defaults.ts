/**
 * Development defaults for every secret, so `npm start` works with no configuration. They are public
 * (printed at start-up and listed in the README): never use them outside a developer's machine.
 */
export const DEV_DEFAULTS: Record<string, string> = {
  REDRESS_WEB_SECRET: 'whsec_cmVkcmVzcy1kZXYtd2ViLXNlY3JldC0wMDAwMDAwMQ==',
  REDRESS_MOBILE_SECRET: 'whsec_cmVkcmVzcy1kZXYtbW9iaWxlLXNlY3JldC0wMDAwMDE=',
  REDRESS_HOTLINE_SECRET: 'whsec_cmVkcmVzcy1kZXYtaG90bGluZS1zZWNyZXQtMDAwMDE=',
  REDRESS_TWILIO_AUTH_TOKEN: 'redress-dev-twilio-auth-token-000001',
  REDRESS_CONNECT_KEY: 'redress-dev-connect-key-000001',
  REDRESS_META_APP_SECRET: 'redress-dev-meta-app-secret-0000001',
  REDRESS_META_VERIFY_TOKEN: 'redress-dev-meta-verify-token',
  REDRESS_X_CONSUMER_SECRET: 'redress-dev-x-consumer-secret-00000000000000000001',
  REDRESS_WECHAT_TOKEN: 'redressdevwechattoken01',
  REDRESS_WECHAT_AES_KEY: 'cmVkcmVzcy1kZXYtd2VjaGF0LWFlcy1rZXktMDAwMDE',
  REDRESS_WECHAT_APP_ID: 'wx0000000000000001',
  REDRESS_JWT_SECRET: 'redress-dev-jwt-secret-change-me-000000000000001',
  REDRESS_CUSTOMER_KEY_SECRET: 'v1:redress-dev-customer-key-secret-000001',
  REDRESS_EVENT_WEBHOOK_SECRET: 'whsec_cmVkcmVzcy1kZXYtZXZlbnQtd2ViaG9vay0wMDAwMDE=',
  REDRESS_SURVEY_SECRET: 'redress-dev-survey-secret-change-me-000000000001',
};

/** The environment with defaults filled in for unset secrets, and the names that were defaulted. */
export function withDevDefaults(env: NodeJS.ProcessEnv): { env: NodeJS.ProcessEnv; defaulted: string[] } {
  const out: NodeJS.ProcessEnv = { ...env };
  const defaulted: string[] = [];
  for (const [name, value] of Object.entries(DEV_DEFAULTS)) {
    if (!out[name]) {
      out[name] = value;
      defaulted.push(name);
    }
  }
  return { env: out, defaulted };
}

/**
 * On one machine a FAQ change should show on the next inquiry, not half a minute later: the process
 * function's FAQ cache default locally (REDRESS_FAQ_CACHE_SECONDS still overrides), one small read per
 * second at most. The local stack and its process worker both use it.
 */
export const LOCAL_FAQ_CACHE_SECONDS = 1;
