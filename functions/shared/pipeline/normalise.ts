/** Turning what a channel adapter found into the canonical, PII-masked message that goes on the queue. */
import { BANK_SOURCES, type FeedbackMessage, type Source } from '../../../schemas/feedback.ts';
import { MAX_CONTEXT_DEPTH, sqsSafeText } from '../../../schemas/storable.ts';
import { MAX_ATTACHMENTS, type InboundMessage } from '../channels/channel.ts';
import type { CustomerKeyer } from '../customers/customer-key.ts';
import { feedbackId } from '../ids.ts';
import { maskContact, maskPii } from '../pii/mask.ts';

/** Our own back ends' channels: their `customer.id` is the bank's reference, free text as far as masking goes. */
const OWN_SOURCES: ReadonlySet<Source> = new Set(BANK_SOURCES);

/**
 * Context keys the platform adapters fill with identifiers of our own accounts and of the event (the
 * Page, Instagram account or WhatsApp number that received the message, the post or call it belongs to),
 * never with the customer's words. They are kept as given when they look like identifiers: a Page id
 * that happens to pass Luhn is not a card.
 */
const PLATFORM_IDENTIFIER_KEYS: Partial<Record<Source, ReadonlySet<string>>> = {
  messenger: new Set(['pageId']),
  instagram: new Set(['instagramAccountId', 'mediaId']),
  whatsapp: new Set(['phoneNumberId']),
  x: new Set(['eventId', 'postId', 'forUserId']),
  twilio: new Set(['callSid', 'recordingSid']),
};
const IDENTIFIER = /^[A-Za-z0-9_.:-]{1,128}$/;

/** The lengths FeedbackMessage allows (schemas/feedback.ts): masking may lengthen a value a little. */
const LIMITS = { externalId: 512, language: 16, subject: 500, customer: 256 } as const;

/**
 * The canonical message for one inbound message: its deterministic id, the arrival time, every string
 * made text SQS and DynamoDB can carry (sqsSafeText), and every field that can hold the customer's
 * words or contact details masked (maskPii) before anything stores it: text, subject, the customer's
 * name, the bank's customer id, the contact (partially), and every key, string and number in `context`,
 * at any depth. A platform's own identity for the customer (PSID, wa_id, OpenID, caller number) is kept,
 * cleaned but unmasked: it is the address replies go to, and the admin API masks it wherever it is shown.
 *
 * The customer key (`customerKey`, with `customerAliases` during a key rotation) is derived here from the
 * raw identity, before masking can change it (a bank customer id that reads as a phone number is masked
 * to `[PHONE]`), so the raw id is hashed but never stored beyond what is stored without keys.
 * @param customerKeys derives the keys; without it (tools and tests of other steps) no key is given.
 */
export function normaliseInbound(inbound: InboundMessage, receivedAt: Date, customerKeys?: CustomerKeyer): FeedbackMessage {
  const customer = inbound.customer ?? {};
  const id = feedbackId(inbound.source, inbound.dedupeKey ?? inbound.externalId);
  const customerId = customer.id ? (OWN_SOURCES.has(inbound.source) ? maskText(customer.id) : sqsSafeText(customer.id)) : '';
  const name = customer.name ? maskText(customer.name) : '';
  const contact = customer.contact ? maskContact(sqsSafeText(customer.contact)) : '';
  return {
    id,
    source: inbound.source,
    channel: inbound.channel,
    externalId: clip(sqsSafeText(inbound.externalId), LIMITS.externalId),
    receivedAt: receivedAt.toISOString(),
    ...(inbound.occurredAt ? { occurredAt: inbound.occurredAt } : {}),
    text: maskText(inbound.text),
    ...(inbound.language ? { language: clip(sqsSafeText(inbound.language), LIMITS.language) } : {}),
    ...(inbound.subject ? { subject: clip(maskText(inbound.subject), LIMITS.subject) } : {}),
    ...(inbound.rating !== undefined ? { rating: inbound.rating } : {}),
    customer: {
      ...(customerId ? { id: clip(customerId, LIMITS.customer) } : {}),
      ...(name ? { name: clip(name, LIMITS.customer) } : {}),
      ...(contact ? { contact: clip(contact, LIMITS.customer) } : {}),
    },
    ...(inbound.context ? { context: maskContext(inbound.context, PLATFORM_IDENTIFIER_KEYS[inbound.source]) } : {}),
    // Media references and the bank's own account ids are identifiers, not text: masking would break them.
    ...(inbound.attachments?.length ? { attachments: inbound.attachments.slice(0, MAX_ATTACHMENTS) } : {}),
    ...(inbound.platform ? { platform: inbound.platform } : {}),
    ...(customerKeys ? customerKeys(inbound.source, inbound.customer, id) : {}),
  };
}

/** Free text as it is queued: characters SQS refuses replaced, then PII masked. */
const maskText = (text: string): string => maskPii(sqsSafeText(text));

/**
 * A context with every key and string masked and every number that reads as PII (an 11-digit mobile
 * number sent as a JSON number) replaced by its placeholder. Keys that mask to the same text keep both
 * values (`[PHONE]`, `[PHONE] (2)`). Validation refuses deeper nesting; were any to arrive, it is
 * dropped, never passed through unmasked.
 */
function maskContext(context: Record<string, unknown>, identifierKeys: ReadonlySet<string> | undefined): Record<string, unknown> {
  const entries = Object.entries(context).map(([key, value]): [string, unknown] =>
    identifierKeys?.has(key) && typeof value === 'string' && IDENTIFIER.test(value) ? [key, value] : [key, maskValue(value, 1)],
  );
  return fromMaskedEntries(entries);
}

function maskValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return maskText(value);
  if (typeof value === 'number') {
    const written = String(value);
    const masked = maskPii(written);
    return masked === written ? value : masked;
  }
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_CONTEXT_DEPTH) return null;
  if (Array.isArray(value)) return value.map((item) => maskValue(item, depth + 1));
  return fromMaskedEntries(Object.entries(value).map(([key, v]) => [key, maskValue(v, depth + 1)]));
}

/** An object from entries whose keys are masked here, numbering keys that mask alike; Object.fromEntries never touches a prototype. */
function fromMaskedEntries(entries: Array<[string, unknown]>): Record<string, unknown> {
  const taken = new Set<string>();
  const out: Array<[string, unknown]> = [];
  for (const [key, value] of entries) {
    const masked = maskText(key);
    let unique = masked;
    for (let n = 2; taken.has(unique); n++) unique = `${masked} (${n})`;
    taken.add(unique);
    out.push([unique, value]);
  }
  return Object.fromEntries(out);
}

/** `text` cut to `max` UTF-16 units, never inside a placeholder or a surrogate pair. */
function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  return text.slice(0, max).replace(/\[[A-Z]*$/, '').replace(/[\uD800-\uDBFF]$/, '');
}
