import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { HttpEvent } from '../shared/http.ts';
import type { Logger } from '../shared/logger.ts';
import { composeIngestHandler } from './compose.ts';

/** A logger that keeps what it was told. */
function recordingLogger(): Logger & { errors: string[] } {
  const errors: string[] = [];
  return { errors, debug: () => {}, info: () => {}, warn: () => {}, error: (message) => void errors.push(message) };
}

const untouchedTable = { send: () => Promise.reject(new Error('the table is not reached')) } as unknown as DynamoDBDocumentClient;
const adapters = (logger: Logger) => ({ documentClient: untouchedTable, tableName: 'redress', queue: { send: () => Promise.reject(new Error('not queued')) }, logger });
const webhook = (route: string): HttpEvent =>
  ({ rawPath: `/webhooks/${route}`, headers: {}, body: '{}', isBase64Encoded: false, requestContext: { http: { method: 'POST' } } }) as unknown as HttpEvent;

describe('the ingest function composition root', () => {
  it('says at every build that items get no customer key when the channel secret has no key secret', () => {
    const without = recordingLogger();
    composeIngestHandler({}, adapters(without));
    expect(without.errors).toEqual(['REDRESS_CUSTOMER_KEY_SECRET is not set in the channel secret: items get no customer key']);
    const withKey = recordingLogger();
    composeIngestHandler({ REDRESS_CUSTOMER_KEY_SECRET: 'customer-key-secret-000000000000000' }, adapters(withKey));
    expect(withKey.errors).toEqual([]);
  });

  it('builds the channels from the channel values it is given: a channel without its secret answers 503', async () => {
    const handler = composeIngestHandler({}, adapters(recordingLogger()));
    const result = await handler(webhook('web'), {} as Context);
    expect(result.statusCode).toBe(503);
  });
});
