/**
 * Generated input against every route of the local stack (fast-check): bodies, headers, query strings
 * and tokens. Never a 5xx, never a dropped connection, never an item from a rejected request, and the
 * stack is healthy afterwards. (The acceptance's robustness check and `npm run test:long` go bigger.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { ITEM_SK, itemPk } from '../../functions/shared/adapters/table-design.ts';
import { LOCAL_TABLE_NAME } from '../../infra/local/local-stack.ts';
import { dynamoRuleViolations } from '../helpers/dynamo-rules.ts';
import { nastyFeedbackBody } from '../helpers/nasty-json.ts';
import { ADMIN_ROUTES } from '../../functions/admin/routes.ts';
import { signLocalToken } from '../../functions/shared/auth/local-jwt.ts';
import { feedbackBody, standardWebhookHeaders } from '../helpers/http-events.ts';
import { startTestStack, type TestStack } from '../helpers/local-stack.ts';

let stack: TestStack;
let existing: string;
/** An item that is not a complaint (a question about money gone: in triage with the shipped classifier), for PATCH /admin/feedback/{id}. */
let notComplaint: string;
beforeAll(async () => {
  stack = await startTestStack();
  const seed = async (webhookId: string, text: string) => {
    const body = feedbackBody(text);
    const res = await fetch(`${stack.url}/webhooks/web`, { method: 'POST', headers: standardWebhookHeaders(stack.env.REDRESS_WEB_SECRET!, webhookId, body), body });
    return ((await res.json()) as { accepted: Array<{ id: string }> }).accepted[0]!.id;
  };
  existing = await seed('msg_fuzz_seed', 'I want to complain: you charged me twice and nobody answers.');
  notComplaint = await seed('msg_fuzz_seed_2', 'Why has £2,000 been taken from my savings without my say-so?');
  await stack.drained();
});
afterAll(async () => {
  await stack?.destroy();
});

const received = async () => ((await (await fetch(`${stack.url}/local/events?type=Feedback.Received`)).json()) as { items: unknown[] }).items.length;
const printable = (max: number) => fc.string({ maxLength: max }).map((s) => s.replace(/[^\x20-\x7e]/g, ''));
const WEBHOOKS = ['/webhooks/web', '/webhooks/mobile', '/webhooks/hotline', '/webhooks/meta', '/webhooks/x', '/webhooks/wechat', '/webhooks/hotline/twilio', '/webhooks/hotline/twilio/status', '/webhooks/hotline/connect', '/webhooks/nope'];
const HEADER_NAMES = ['content-type', 'webhook-id', 'webhook-timestamp', 'webhook-signature', 'x-hub-signature-256', 'x-twitter-webhooks-signature', 'x-twilio-signature', 'x-bank-connect-key', 'if-match'];
const CONTENT_TYPES = ['application/json', 'application/json; charset=utf-8', 'text/xml', 'application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=x', ''];
const query = fc.dictionary(fc.constantFrom('hub.mode', 'hub.verify_token', 'hub.challenge', 'crc_token', 'signature', 'timestamp', 'nonce', 'echostr', 'encrypt_type', 'msg_signature', 'limit', 'cursor', 'status', 'from', 'to', 'channel', 'breached', 'reason', 'kind'), printable(40), { maxKeys: 4 });
const qs = (q: Record<string, string>) => (Object.keys(q).length ? `?${new URLSearchParams(q)}` : '');
const bodyArb = fc.oneof(printable(400), fc.json({ maxDepth: 3 }), fc.constant('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]><xml>&a;</xml>'), fc.constant(''));
/** Bodies shaped like the admin commands' (kind, category, reason…), with good and bad values mixed. */
const commandBodyArb = fc
  .record(
    {
      kind: fc.oneof(fc.constantFrom('complaint', 'inquiry', 'suggestion', 'praise'), printable(12), fc.integer()),
      category: fc.oneof(fc.constantFrom('fraud_security', 'other'), printable(12), fc.constant(null)),
      severity: fc.oneof(fc.constantFrom('low', 'critical'), printable(8)),
      reason: fc.oneof(printable(60), fc.integer()),
    },
    { requiredKeys: [] },
  )
  .map((b) => JSON.stringify(b));

async function send(method: string, path: string, headers: Record<string, string>, body: string | undefined) {
  const res = await fetch(stack.url + path, { method, headers, body: method === 'GET' ? undefined : body });
  await res.arrayBuffer();
  return res.status;
}

describe('fuzzing every route', () => {
  it('webhook routes: generated bodies, headers and queries never get a 5xx and store nothing', async () => {
    const before = await received();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...WEBHOOKS),
        fc.constantFrom('GET', 'POST', 'PUT'),
        query,
        // Header values include the stack's Amazon Connect key, so generated bodies also reach that parser.
        fc.dictionary(fc.constantFrom(...HEADER_NAMES), fc.oneof(printable(60), fc.constant(stack.env.REDRESS_CONNECT_KEY ?? '')), { maxKeys: 5 }),
        fc.constantFrom(...CONTENT_TYPES),
        bodyArb,
        async (path, method, q, headers, type, body) => {
          const status = await send(method, path + qs(q), { ...headers, ...(type ? { 'content-type': type } : {}) }, body);
          expect(status, `${method} ${path}`).toBeLessThan(500);
        },
      ),
      { numRuns: 250 },
    );
    await stack.drained();
    expect(await received()).toBe(before);
  }, 60_000);

  it('admin routes: generated tokens, ids, queries and bodies never get a 5xx', async () => {
    const secret = stack.env.REDRESS_JWT_SECRET!.split(',')[0]!;
    const tokens = await Promise.all(
      ['agent', 'supervisor', 'admin'].map((role) => signLocalToken(secret, { sub: `fuzz-${role}`, groups: [role] })),
    );
    const before = await received();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ADMIN_ROUTES),
        fc.oneof(fc.constant(existing), fc.constant(notComplaint), fc.constant('fb_doesnotexist'), printable(30).map((s) => encodeURIComponent(s) || 'x')),
        fc.oneof(fc.constantFrom(...tokens), fc.constant('garbage'), fc.constant(''), fc.constant(`${tokens[0]}x`)),
        query,
        fc.oneof(bodyArb, commandBodyArb),
        fc.option(fc.oneof(fc.constant('"1"'), fc.constant('999'), printable(10))),
        async (route, id, token, q, body, ifMatch) => {
          const path = route.path.replace('{id}', id) + qs(q);
          const headers: Record<string, string> = { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...(ifMatch ? { 'if-match': ifMatch } : {}) };
          const status = await send(route.method, path, headers, body);
          expect(status, `${route.method} ${path}`).toBeLessThan(500);
        },
      ),
      { numRuns: 250 },
    );
    await stack.drained();
    expect(await received()).toBe(before);
    expect((await fetch(`${stack.url}/health`)).status).toBe(200);
    expect((await fetch(`${stack.url}/openapi.json`)).status).toBe(200);
  }, 60_000);
});

describe('nothing accepted is lost', () => {
  it('every generated body the web route accepts (202) is stored once, in a form DynamoDB takes, and nothing is dead-lettered', async () => {
    // Prepare: bodies with Object.prototype keys, empty keys, lone surrogates, U+FFFF, extreme numbers, deep nesting.
    const accepted: string[] = [];
    let n = 0;
    // Act: post each signed; a 400 is the only other answer allowed.
    await fc.assert(
      fc.asyncProperty(nastyFeedbackBody, async (body) => {
        const res = await fetch(`${stack.url}/webhooks/web`, { method: 'POST', body, headers: standardWebhookHeaders(stack.env.REDRESS_WEB_SECRET!, `msg_nasty_${n++}`, body) });
        const answer = (await res.json()) as { accepted?: Array<{ id: string }> };
        expect([202, 400], body).toContain(res.status);
        if (res.status === 202) accepted.push(answer.accepted![0]!.id);
      }),
      { numRuns: 120 },
    );
    await stack.drained();
    // Assess: each accepted id is an item that meets DynamoDB's own rules (dynalite checks fewer of them).
    expect(accepted.length).toBeGreaterThan(20);
    expect(stack.deadLetterQueue.size).toBe(0);
    for (const id of accepted) {
      const { Item } = await stack.dynamo.client.send(new GetItemCommand({ TableName: LOCAL_TABLE_NAME, Key: { pk: { S: itemPk(id) }, sk: { S: ITEM_SK } } }));
      expect(Item, id).toBeDefined();
      expect(dynamoRuleViolations(Item!), id).toEqual([]);
    }
  }, 120_000);
});
