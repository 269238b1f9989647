/**
 * Builds the OpenAPI 3.1 document of the public contract (channel webhooks and the admin API) from the zod
 * schemas with z.toJSONSchema (JSON Schema 2020-12, which OpenAPI 3.1 uses as is) and the route table.
 *
 * Build time only: `npm run schemas` (scripts/generate-schemas.ts) packs the document into
 * openapi.packed.json, which openapi.ts serves; openapi.test.ts fails when that file is stale. The Lambda
 * never imports this module, so zod's JSON Schema generator (about 20 KB) stays out of its bundle.
 */
import { brotliCompressSync, constants as zlibConstants } from 'node:zlib';
import * as z from 'zod/mini';
import '../../schemas/zod-locale.ts';
import { Problem, SatisfactionBody } from '../../schemas/admin.ts';
import { SubmittedFeedback } from '../../schemas/webhook.ts';
import { MAX_FAQ_BODY_BYTES } from './faq-routes.ts';
import { ROUTE_DOCS } from './route-docs.ts';
import { ADMIN_ROUTES, SURVEY_ROUTE, type AdminRoute } from './routes.ts';

type JsonSchema = Record<string, unknown>;

const input = (schema: z.core.$ZodType): JsonSchema => stripMeta(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema);
const output = (schema: z.core.$ZodType): JsonSchema => stripMeta(z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) as JsonSchema);

/** Component schemas carry no `$schema` (the document's dialect applies). */
function stripMeta(schema: JsonSchema): JsonSchema {
  const { $schema: _ignored, ...rest } = schema;
  return rest;
}

const problemResponse = (description: string) => ({ description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } });

const AcceptedAnswer = z.object({ accepted: z.array(z.object({ id: z.string(), duplicate: z.boolean() })) });

/** The webhook routes of the design's channel table. */
function webhookPaths(): Record<string, unknown> {
  const standard = (name: string, secret: string) => ({
    post: {
      tags: ['webhooks'],
      summary: `Feedback from the ${name} (Standard Webhooks, secret ${secret})`,
      security: [],
      parameters: ['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((h) => ({ name: h, in: 'header', required: true, schema: { type: 'string' } })),
      requestBody: { required: true, content: { 'application/json': { schema: input(SubmittedFeedback) } } },
      responses: {
        '202': { description: 'Durably queued (a redelivery answers the same id with duplicate: true)', content: { 'application/json': { schema: output(AcceptedAnswer) } } },
        '400': problemResponse('Invalid body (the bad fields are named)'),
        '401': problemResponse('Missing or invalid signature'),
        '413': problemResponse('Body over 256 KB'),
        '415': problemResponse('Not application/json'),
      },
    },
  });
  const social = (summary: string, handshake: string, ok: string) => ({
    get: { tags: ['webhooks'], summary: `${summary}: ${handshake}`, security: [], responses: { '200': { description: 'Handshake answered' }, '403': problemResponse('Failed handshake') } },
    post: { tags: ['webhooks'], summary, security: [], requestBody: { required: true, content: { '*/*': { schema: {} } } }, responses: { '200': { description: ok }, '401': problemResponse('Bad signature'), '403': problemResponse('Bad signature (platforms that expect 403)') } },
  });
  // Twilio posts a signed form and expects TwiML back (a 403 when the signature is missing or wrong).
  const twilio = (summary: string, ok: string): Record<string, unknown> => ({
    post: {
      tags: ['webhooks'],
      summary: `${summary} (X-Twilio-Signature over REDRESS_PUBLIC_URL)`,
      security: [],
      requestBody: { required: true, content: { 'application/x-www-form-urlencoded': { schema: { type: 'object', additionalProperties: { type: 'string' } } } } },
      responses: { '200': { description: ok, content: { 'text/xml': { schema: { type: 'string' } } } }, '403': problemResponse('Missing or bad X-Twilio-Signature') },
    },
  });
  return {
    '/webhooks/web': standard('online-banking back end', 'REDRESS_WEB_SECRET'),
    '/webhooks/mobile': standard('mobile-app back end', 'REDRESS_MOBILE_SECRET'),
    '/webhooks/hotline': standard('call-centre system', 'REDRESS_HOTLINE_SECRET'),
    '/webhooks/hotline/twilio': twilio('Twilio transcription / recording callbacks', 'Empty TwiML'),
    '/webhooks/hotline/twilio/status': twilio('Twilio SMS status callbacks for replies (MessageSid, MessageStatus, ErrorCode)', 'Empty TwiML (the reply it names moves forward: delivered, or failed with the ErrorCode)'),
    '/webhooks/hotline/connect': {
      post: {
        tags: ['webhooks'],
        summary: 'Amazon Connect events from an EventBridge API destination (API-key header x-bank-connect-key, REDRESS_CONNECT_KEY); Contact Lens rule matches become items',
        security: [],
        parameters: [{ name: 'x-bank-connect-key', in: 'header', required: true, schema: { type: 'string' } }],
        requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['id', 'detail-type', 'source', 'detail'] } } } },
        responses: {
          '200': { description: 'Accepted (a redelivery of the same event id answers duplicate: true; other events answer an empty list)', content: { 'application/json': { schema: output(AcceptedAnswer) } } },
          '400': problemResponse('Not an EventBridge event, or a rule match without a rule name or contact'),
          '401': problemResponse('Missing or wrong key'),
        },
      },
    },
    '/webhooks/meta': social('Messenger, Instagram and WhatsApp (X-Hub-Signature-256)', 'hub.challenge handshake', 'Accepted'),
    '/webhooks/x': social('X Account Activity / Activity API (x-twitter-webhooks-signature)', 'CRC challenge', 'Accepted'),
    '/webhooks/wechat': social('WeChat Official Account (plaintext and safe mode)', 'echostr handshake', 'success'),
  };
}

/** A route's summary and who may call it (route-docs.ts); a route without them fails the build. */
function docsOf(route: AdminRoute): { summary: string; who: string } {
  const docs = ROUTE_DOCS[`${route.method} ${route.path}`];
  if (!docs) throw new Error(`route-docs.ts: no summary for ${route.method} ${route.path}`);
  return docs;
}

function adminOperation(route: AdminRoute): Record<string, unknown> {
  const parameters: unknown[] = [];
  if (route.path.includes('{id}')) parameters.push({ name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^fb_[a-z0-9]+$' } });
  if (route.path.includes('{clock}')) {
    parameters.push({ name: 'clock', in: 'path', required: true, description: 'A clock of the complaint, as `clocks[].name` shows it (e.g. resolution_cn, resolution_uk_payment_services)', schema: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,39}$' } });
  }
  for (const name of ['customerKey', 'otherKey']) {
    if (route.path.includes(`{${name}}`)) parameters.push({ name, in: 'path', required: true, description: 'A customer key (`ck<version>_` and 32 hex characters), as items show it', schema: { type: 'string', pattern: '^ck[1-9][0-9]{0,2}_[0-9a-f]{32}$' } });
  }
  if (route.query instanceof z.ZodMiniObject) {
    for (const [name, schema] of Object.entries(route.query.shape as Record<string, z.core.$ZodType>)) {
      parameters.push({ name, in: 'query', required: false, schema: input(schema) });
    }
  }
  // Lifecycle changes of an item (If-Match, 409/412/422); the FAQ upload is described on its own below.
  const mutation = route.command !== undefined;
  if (mutation) parameters.push({ name: 'If-Match', in: 'header', required: false, description: 'The version read (the ETag, quoted or bare); a stale one answers 412', schema: { type: 'string' } });
  const responses: Record<string, unknown> = {
    [String(route.status ?? 200)]: {
      description: route.status === 202 ? 'Accepted' : 'OK',
      headers: route.path.includes('{id}') ? { ETag: { description: 'The item version, quoted', schema: { type: 'string' } } } : undefined,
      content: { 'application/json': { schema: output(route.response) } },
    },
    '400': problemResponse(route.query ? 'Invalid or unknown query parameters, or an invalid body (each is named)' : 'Invalid query or body (the bad fields are named)'),
    '401': problemResponse('No valid bearer token'),
    '403': problemResponse('The role (or assignment) does not allow this'),
  };
  if (route.path.includes('{id}')) responses['404'] = problemResponse(route.path.includes('{clock}') ? 'No such item, or the complaint has no such clock' : 'No such item');
  if (route.path.includes('{otherKey}')) responses['404'] = problemResponse('The two keys are not linked');
  if (mutation && route.path.startsWith('/admin/customers/')) {
    responses['409'] = problemResponse("A key rotation's link is not removed by hand");
    responses['413'] = problemResponse('Body over 64 KB');
  } else if (mutation) {
    responses['409'] = problemResponse(route.status === 202 ? 'The lifecycle forbids this now, the platform window is closed (`rule` names it, `stillAllowed` what remains), or the reply channel is not configured' : 'The lifecycle forbids this now; `allowed` names what it allows');
    responses['412'] = problemResponse('If-Match is not the current version');
    responses['413'] = problemResponse('Body over 64 KB');
    responses['422'] = problemResponse('The complaint has no room left for this kind of entry (DynamoDB item limit); `allowed` names the actions that still fit');
  }
  if (route.action === 'updateFaq') {
    responses['409'] = problemResponse('Another FAQ change landed at the same time (after retries); send the upload again');
    responses['413'] = problemResponse(`Body over ${MAX_FAQ_BODY_BYTES / 1024 / 1024} MB`);
    responses['415'] = problemResponse('Neither application/json nor text/csv');
  }
  const csv = route.action === 'updateFaq' ? { 'text/csv': { schema: { type: 'string', description: 'Header row id,question,answer,language[,category][,phrasings | phrasing_1,phrasing_2,…]; errors name row.N.field (row 1 is the header)' } } } : {};
  return {
    tags: ['admin'],
    operationId: route.action,
    summary: docsOf(route).summary,
    description: `Who: ${docsOf(route).who}.`,
    parameters,
    ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: input(route.body) }, ...csv } } } : {}),
    responses,
  };
}

/** The customer survey: public, the signed token in the path is the authority. */
function surveyOperations(): Record<string, unknown> {
  const parameters = [{ name: 'token', in: 'path', required: true, schema: { type: 'string' }, description: 'The opaque signed token of the rating request link' }];
  const html = (description: string) => ({ description, content: { 'text/html': { schema: { type: 'string' } } } });
  const states = { '404': html('Forged token or no such survey'), '409': html('This resolution has already been rated'), '410': html('The link has expired, or the complaint was reopened') };
  return {
    get: { tags: ['survey'], operationId: 'surveyPage', summary: "The rating page in the complaint's language (zh or en); no JavaScript", security: [], parameters, responses: { '200': html('The form'), ...states } },
    post: {
      tags: ['survey'],
      operationId: 'surveyAnswer',
      summary: 'Record the customer\'s rating (score 1–5, comment), once per resolution; a form answer gets a page, JSON problem+json',
      security: [],
      parameters,
      requestBody: { required: true, content: { 'application/json': { schema: input(SatisfactionBody) }, 'application/x-www-form-urlencoded': { schema: input(SatisfactionBody) } } },
      responses: { '200': html('Thank-you page (form answers)'), '201': { description: 'Recorded (JSON answers)' }, '400': problemResponse('Bad score or comment, named'), ...states },
    },
  };
}

/** The OpenAPI 3.1 document (every admin route of the route table and every webhook route). */
export function buildOpenApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = { ...(webhookPaths() as Record<string, Record<string, unknown>>) };
  for (const route of ADMIN_ROUTES) {
    paths[route.path] ??= {};
    paths[route.path]![route.method.toLowerCase()] = adminOperation(route);
  }
  paths[SURVEY_ROUTE] = surveyOperations();
  return {
    openapi: '3.1.0',
    info: { title: 'Redress', version: '1.0.0', description: 'Multi-channel feedback and complaint API: channel webhooks and the admin API for complaint handlers.' },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    tags: [{ name: 'webhooks', description: 'Signed deliveries from channels' }, { name: 'admin', description: 'Complaint handlers (Bearer JWT, cognito:groups agent / supervisor / admin)' }],
    paths: JSON.parse(JSON.stringify(paths)),
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: { Problem: output(Problem) },
    },
  };
}

/**
 * The text of openapi.packed.json: the document as Brotli-compressed base64. Every admin answer inlines
 * the item's JSON Schema, so the document is about 160 KB of JSON but 4 KB compressed; packed, it costs
 * the bundle less than the generator it replaces. No comment key: the bundle carries the file whole (it is
 * generated by `npm run schemas` and checked by openapi.test.ts; do not edit it).
 */
export function packOpenApiDocument(document: Record<string, unknown>): string {
  const brotli = brotliCompressSync(JSON.stringify(document), { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11 } });
  const packed = {
    brotli: brotli.toString('base64'),
  };
  return JSON.stringify(packed, null, 2) + '\n';
}
