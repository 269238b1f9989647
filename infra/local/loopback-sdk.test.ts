import { afterAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DeleteTableCommand, DescribeTableCommand, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { LoopbackHttpHandler, emulatorSigner } from './loopback-sdk.ts';
import { startLocalDynamo, type LocalDynamo } from './dynamo-local.ts';

const closers: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const close of closers.splice(0)) await close();
});

describe('LoopbackHttpHandler', () => {
  it('sends the request as given and returns status, headers and the whole body', async () => {
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        res.writeHead(201, { 'x-echo-target': String(req.headers['x-amz-target']), 'content-type': 'application/json' });
        res.end(JSON.stringify({ method: req.method, url: req.url, body: Buffer.concat(chunks).toString() }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    closers.push(() => new Promise((r) => server.close(() => r())));
    const handler = new LoopbackHttpHandler(2);
    closers.push(async () => handler.destroy());
    const { response } = await handler.handle({
      method: 'POST',
      hostname: '127.0.0.1',
      port: (server.address() as AddressInfo).port,
      path: '/',
      query: { a: 'b' },
      headers: { 'x-amz-target': 'DynamoDB_20120810.PutItem', 'content-type': 'application/x-amz-json-1.0' },
      body: '{"x":1}',
    });
    expect(response.statusCode).toBe(201);
    expect(response.headers['x-echo-target']).toBe('DynamoDB_20120810.PutItem');
    expect(JSON.parse(response.body.toString())).toEqual({ method: 'POST', url: '/?a=b', body: '{"x":1}' });
  });

  it('rejects when nothing listens (the SDK then retries or fails the call)', async () => {
    const handler = new LoopbackHttpHandler(1);
    await expect(handler.handle({ method: 'POST', hostname: '127.0.0.1', port: 1, path: '/', headers: {} })).rejects.toThrow();
    handler.destroy();
  });
});

describe('emulatorSigner', () => {
  it('gives the request the shape of a SigV4 signature (dynalite checks the shape only)', async () => {
    const signed = await emulatorSigner.sign({ headers: {} as Record<string, string> });
    expect(signed.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=local\/\d{8}\/local\/dynamodb\/aws4_request, SignedHeaders=\S+, Signature=\S+$/);
    expect(signed.headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
  });
});

describe('dynalite in its process, through the loopback client', () => {
  it('sees a table replaced at once despite keeping table descriptions in memory', async () => {
    // startLocalDynamo creates the stack's table; this test makes its own, to replace it.
    const dynamo: LocalDynamo = await startLocalDynamo(undefined, 'redress-local');
    closers.push(() => dynamo.close());
    const client = dynamo.client;
    const create = async (indexes: boolean) => {
      await client.send(
        new CreateTableCommand({
          TableName: 'probe',
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, ...(indexes ? [{ AttributeName: 'gk', AttributeType: 'S' as const }] : [])],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          ...(indexes ? { GlobalSecondaryIndexes: [{ IndexName: 'ByG', KeySchema: [{ AttributeName: 'gk', KeyType: 'HASH' as const }], Projection: { ProjectionType: 'ALL' as const } }] } : {}),
        }),
      );
      while ((await client.send(new DescribeTableCommand({ TableName: 'probe' }))).Table?.TableStatus !== 'ACTIVE') await new Promise((r) => setTimeout(r, 10));
    };
    await create(false);
    // A put reads (and now keeps) the description without the index.
    await client.send(new PutItemCommand({ TableName: 'probe', Item: { pk: { S: 'a' }, gk: { S: 'g' } } }));
    await client.send(new DeleteTableCommand({ TableName: 'probe' }));
    for (;;) {
      const gone = await client.send(new DescribeTableCommand({ TableName: 'probe' })).then(() => false, () => true);
      if (gone) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    await create(true);
    // Writes after the change maintain the new index, and queries know it: the kept description was dropped.
    await client.send(new PutItemCommand({ TableName: 'probe', Item: { pk: { S: 'b' }, gk: { S: 'g' } } }));
    const found = await client.send(new QueryCommand({ TableName: 'probe', IndexName: 'ByG', KeyConditionExpression: 'gk = :g', ExpressionAttributeValues: { ':g': { S: 'g' } } }));
    expect((found.Items ?? []).map((i) => i.pk?.S)).toEqual(['b']);
    // Item reads are never kept: a conditional put sees the item just written.
    await expect(client.send(new PutItemCommand({ TableName: 'probe', Item: { pk: { S: 'b' } }, ConditionExpression: 'attribute_not_exists(pk)' }))).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
  });
});
