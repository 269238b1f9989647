/** A customer's WhatsApp text as Meta delivers it to `/webhooks/meta`, signed with the app secret. */
import { createHmac } from 'node:crypto';

export interface WhatsAppText {
  /** The bank's number that received it (its phone-number id answers). */
  phoneNumberId: string;
  waId: string;
  wamid: string;
  /** When the customer wrote it (Meta's `timestamp`, whole seconds). */
  at: number;
  text: string;
}

/** POSTs the message to the stack's Meta route and resolves the HTTP status Meta would see. */
export async function postWhatsAppText(stackUrl: string, appSecret: string, message: WhatsAppText): Promise<number> {
  const body = JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{ id: 'waba-1', changes: [{ field: 'messages', value: {
      messaging_product: 'whatsapp',
      metadata: { display_phone_number: '15550783881', phone_number_id: message.phoneNumberId },
      contacts: [{ profile: { name: 'Customer' }, wa_id: message.waId }],
      messages: [{ from: message.waId, id: message.wamid, timestamp: String(Math.floor(message.at / 1000)), type: 'text', text: { body: message.text } }],
    } }] }],
  });
  const signature = `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`;
  const res = await fetch(`${stackUrl}/webhooks/meta`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature }, body });
  await res.arrayBuffer();
  return res.status;
}
