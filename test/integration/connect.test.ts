/**
 * Amazon Connect through the local stack, posted as an EventBridge API destination posts (the event JSON,
 * the connection's `x-bank-connect-key` header) with the stack's development key: a Contact Lens rule
 * match becomes one hotline item a handler sees in /admin/feedback, its redelivery nothing more, and a
 * contact event or a wrong key nothing at all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signLocalToken } from '../../functions/shared/auth/local-jwt.ts';
import { eventually, startTestStack, type TestStack } from '../helpers/local-stack.ts';

let stack: TestStack;
let agent: string;
beforeAll(async () => {
  stack = await startTestStack();
  agent = await signLocalToken(stack.env.REDRESS_JWT_SECRET!.split(',')[0]!, { sub: 'agent-c', groups: ['agent'] });
}, 60_000);
afterAll(async () => {
  await stack?.destroy();
});

const INSTANCE = 'arn:aws:connect:eu-west-2:111122223333:instance/abcd1234-defg-5678-h9j0-7c822889931e';
const CONTACT_ID = '7c1f0d2e-4b3a-4c5d-8e9f-0a1b2c3d4e5f';

const event = (id: string, detailType: string, detail: Record<string, unknown>) =>
  JSON.stringify({ version: '0', id, 'detail-type': detailType, source: 'aws.connect', account: '111122223333', time: new Date().toISOString(), region: 'eu-west-2', resources: [INSTANCE], detail });

const deliver = (body: string, key = stack.env.REDRESS_CONNECT_KEY!.split(',')[0]!) =>
  fetch(`${stack.url}/webhooks/hotline/connect`, { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8', 'x-bank-connect-key': key }, body });

async function admin(path: string): Promise<{ status: number; json: any }> {
  const res = await fetch(stack.url + path, { headers: { authorization: `Bearer ${agent}` } });
  return { status: res.status, json: await res.json() };
}

/** Every hotline item of this call received in the last hour, once the queue is drained (following every cursor). */
async function itemsOfTheCall(): Promise<Array<Record<string, unknown>>> {
  await stack.drained();
  const window = `from=${new Date(Date.now() - 3_600_000).toISOString()}&to=${new Date(Date.now() + 60_000).toISOString()}`;
  const items: Array<Record<string, unknown>> = [];
  let cursor: string | undefined;
  do {
    const { status, json } = await admin(`/admin/feedback?channel=hotline&${window}&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(status).toBe(200);
    items.push(...(json.items as Array<Record<string, unknown>>));
    cursor = json.nextCursor;
  } while (cursor);
  return items.filter((item) => item.externalId === CONTACT_ID);
}

describe('Amazon Connect on the local stack', () => {
  it('makes one hotline item of a rule match, none of its redelivery, a contact event or a wrong key', async () => {
    // Prepare
    const ruleMatch = event('it-evt-1', 'Contact Lens Post Call Rules Matched', {
      version: '1.0',
      ruleName: 'customer-negative-sentiment-fees',
      actionName: 'GenerateEventBridgeEvent',
      instanceArn: INSTANCE,
      contactArn: `${INSTANCE}/contact/${CONTACT_ID}`,
      agentArn: `${INSTANCE}/agent/99999999-8888-7777-6666-555555555555`,
      queueArn: `${INSTANCE}/queue/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee`,
    });

    // Act: the rule match, then EventBridge's redelivery of the same event.
    const first = await deliver(ruleMatch);
    const again = await deliver(ruleMatch);

    // Assess: both 200, the same id, the second a duplicate; one item a handler can open.
    expect(first.status).toBe(200);
    const { accepted } = (await first.json()) as { accepted: Array<{ id: string; duplicate: boolean }> };
    expect(accepted).toEqual([{ id: expect.stringMatching(/^fb_/), duplicate: false }]);
    expect([again.status, await again.json()]).toEqual([200, { accepted: [{ id: accepted[0]!.id, duplicate: true }] }]);
    const items = await itemsOfTheCall();
    expect(items.map((item) => [item.id, item.source, item.channel])).toEqual([[accepted[0]!.id, 'hotline', 'hotline']]);
    const item = await eventually(async () => {
      const { status, json } = await admin(`/admin/feedback/${accepted[0]!.id}`);
      return status === 200 ? json : undefined;
    });
    expect(item).toMatchObject({ source: 'hotline', externalId: CONTACT_ID, text: '[Contact Lens rule: customer-negative-sentiment-fees]' });
    expect(item.context).toMatchObject({ contactId: CONTACT_ID, ruleName: 'customer-negative-sentiment-fees', agentArn: `${INSTANCE}/agent/99999999-8888-7777-6666-555555555555` });

    // A contact event of the same call: acknowledged, no item.
    const disconnected = await deliver(event('it-evt-2', 'Amazon Connect Contact Event', { eventType: 'DISCONNECTED', contactId: CONTACT_ID, channel: 'VOICE', instanceArn: INSTANCE }));
    expect([disconnected.status, await disconnected.json()]).toEqual([200, { accepted: [] }]);

    // Another rule match with the wrong key: 401 problem+json, no item.
    const forged = await deliver(event('it-evt-3', 'Contact Lens Realtime Rules Matched', { ruleName: 'forged', contactArn: `${INSTANCE}/contact/${CONTACT_ID}` }), 'cx-evt-00000000000000000000000000000000');
    expect(forged.status).toBe(401);
    expect(forged.headers.get('content-type')).toBe('application/problem+json');

    expect((await itemsOfTheCall()).map((i) => i.id)).toEqual([accepted[0]!.id]);
  });
});
