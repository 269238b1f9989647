/** Turning what a channel adapter found into the canonical, PII-masked message that goes on the queue. */
import type { FeedbackMessage } from '../../../schemas/feedback.ts';
import { MAX_ATTACHMENTS, type InboundMessage } from '../channels/channel.ts';
import { feedbackId } from '../ids.ts';
import { maskContact, maskPii } from '../pii/mask.ts';

/**
 * The canonical message for one inbound message: its deterministic id, the arrival time, and every
 * free-text field masked (text, subject, contact, string values in context) before anything stores it.
 */
export function normaliseInbound(inbound: InboundMessage, receivedAt: Date): FeedbackMessage {
  const customer = inbound.customer ?? {};
  return {
    id: feedbackId(inbound.source, inbound.externalId),
    source: inbound.source,
    channel: inbound.channel,
    externalId: inbound.externalId,
    receivedAt: receivedAt.toISOString(),
    ...(inbound.occurredAt ? { occurredAt: inbound.occurredAt } : {}),
    text: maskPii(inbound.text),
    ...(inbound.language ? { language: inbound.language } : {}),
    ...(inbound.subject ? { subject: maskPii(inbound.subject) } : {}),
    ...(inbound.rating !== undefined ? { rating: inbound.rating } : {}),
    customer: {
      ...(customer.id ? { id: customer.id } : {}),
      ...(customer.name ? { name: customer.name } : {}),
      ...(customer.contact ? { contact: maskContact(customer.contact) } : {}),
    },
    ...(inbound.context ? { context: maskStrings(inbound.context) as Record<string, unknown> } : {}),
    // Media references and the bank's own account ids are identifiers, not text: masking would break them.
    ...(inbound.attachments?.length ? { attachments: inbound.attachments.slice(0, MAX_ATTACHMENTS) } : {}),
    ...(inbound.platform ? { platform: inbound.platform } : {}),
  };
}

/** Masks every string inside a JSON value (context objects are free-form: a phone number can hide anywhere). */
function maskStrings(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskPii(value);
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => maskStrings(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskStrings(v, depth + 1)]));
}
