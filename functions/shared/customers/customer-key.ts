/**
 * Customer keys: one pseudonymous key per customer, the same over every channel that gives the bank's
 * customer id, and per platform identity otherwise. A key is `ck<version>_<32 hex>`: HMAC-SHA256 of the
 * identity under the secret of that version (`REDRESS_CUSTOMER_KEY_SECRET`), cut to 128 bits. Without
 * the secret it cannot be recomputed from an id, and no one can turn it back into one.
 *
 * Why keyed and versioned: a plain hash of a customer id or phone number is reversible by trying every
 * id; the secret prevents that. Rotating the secret changes every key, so keys name their version and
 * the ingest step computes the key under every active version (the first is the item's key, the others
 * its aliases); the process step records each alias as a link, so history and counts follow a customer
 * across the change (README: "Customer keys and rotation").
 */
import { createHmac } from 'node:crypto';
import { BANK_SOURCES, type CustomerRef, type Source } from '../../../schemas/feedback.ts';
import { ConfigurationError, secretList } from '../config.ts';

/** One active key secret and the version its keys carry. */
export interface CustomerKeySecret {
  version: number;
  secret: string;
}

/** `ck1_0123…`: the version, then 32 lower-case hex characters. */
export const CUSTOMER_KEY_PATTERN = /^ck([1-9][0-9]{0,2})_([0-9a-f]{32})$/;
export const CUSTOMER_KEY_LENGTH_MAX = 40;

/** The sources whose `customer.id` is the bank's own customer reference (our own back ends). */
const BANK_ID_SOURCES: ReadonlySet<Source> = new Set(BANK_SOURCES);
/** A contact that reads as a phone number: the caller's number on the hotline. */
const PHONE = /^\+?[0-9][0-9 ()./-]{4,30}$/;

/**
 * Reads `REDRESS_CUSTOMER_KEY_SECRET`: a comma-separated list of `v<N>:<secret>` (or a bare secret,
 * version 1), the first the version new keys use. Throws on a repeated version or an empty secret, so a
 * misconfigured stack fails at start-up rather than splitting customers.
 */
export function parseCustomerKeySecrets(value: string | undefined): CustomerKeySecret[] {
  const out: CustomerKeySecret[] = [];
  for (const entry of secretList(value)) {
    const m = /^v([1-9][0-9]{0,2}):(.*)$/.exec(entry);
    const version = m ? Number(m[1]) : 1;
    const secret = m ? m[2]! : entry;
    if (secret.length < 16) throw new ConfigurationError(`REDRESS_CUSTOMER_KEY_SECRET: version ${version}'s secret must be at least 16 characters`);
    if (out.some((s) => s.version === version)) throw new ConfigurationError(`REDRESS_CUSTOMER_KEY_SECRET: version ${version} is listed twice`);
    out.push({ version, secret });
  }
  return out;
}

/**
 * What a customer key is derived from: the bank's customer id where our own channels give one (the same
 * person on web, mobile and the hotline), else the platform identity with its source (a PSID means
 * nothing outside Messenger), the caller's number on the hotline (CTI without a customer id, or Twilio),
 * and for an anonymous message the message itself (a customer of one item).
 * @param raw the customer as the channel adapter found it, before masking.
 */
export function customerIdentity(source: Source, raw: CustomerRef | undefined, feedbackId: string): string {
  const id = raw?.id?.trim();
  if (id && BANK_ID_SOURCES.has(source)) return `bank\u0000${id}`;
  const caller = source === 'twilio' ? id : source === 'hotline' ? raw?.contact?.trim() : undefined;
  if (caller && PHONE.test(caller)) return `caller\u0000${caller.replace(/[^0-9+]/g, '')}`;
  if (id && !BANK_ID_SOURCES.has(source)) return `${source}\u0000${id}`;
  return `anonymous\u0000${feedbackId}`;
}

/** The key of an identity under one secret. */
export function customerKeyOf(identity: string, secret: CustomerKeySecret): string {
  const digest = createHmac('sha256', secret.secret).update(identity, 'utf8').digest('hex');
  return `ck${secret.version}_${digest.slice(0, 32)}`;
}

/** An item's key (under the first active secret) and its aliases (under the others, during a rotation). */
export interface CustomerKeys {
  customerKey: string;
  customerAliases?: string[];
}

/** Derives keys for messages, over the active secrets. */
export type CustomerKeyer = (source: Source, raw: CustomerRef | undefined, feedbackId: string) => CustomerKeys;

/** A keyer over the active secrets (at least one). */
export function createCustomerKeyer(secrets: readonly CustomerKeySecret[]): CustomerKeyer {
  if (secrets.length === 0) throw new ConfigurationError('REDRESS_CUSTOMER_KEY_SECRET is required (customer keys)');
  return (source, raw, feedbackId) => {
    const identity = customerIdentity(source, raw, feedbackId);
    const [first, ...others] = secrets.map((s) => customerKeyOf(identity, s));
    return { customerKey: first!, ...(others.length ? { customerAliases: others } : {}) };
  };
}

/** The key as written in a path or body, or undefined when it is not one (any version, lower-case hex). */
export function parseCustomerKey(text: string | undefined): string | undefined {
  if (text === undefined || text.length > CUSTOMER_KEY_LENGTH_MAX) return undefined;
  return CUSTOMER_KEY_PATTERN.test(text) ? text : undefined;
}
