/**
 * The AWS calls each Lambda entry point (functions/<fn>/index.ts) makes at cold start, before its
 * handler runs: loaded with every SDK client mocked (aws-sdk-client-mock) and an environment naming
 * every resource, as CDK sets it. The local stack wires the handlers itself and never runs these
 * files, so their calls (reading the secret) are recorded here; they must equal the `coldStart`
 * entries of test/fixtures/aws-calls.json, which test/infra/iam.test.ts holds the policies to.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SQSClient } from '@aws-sdk/client-sqs';
import { REDRESS_FUNCTIONS, awsCallKey, callsOfCommand, type RedressFunctionName } from '../../infra/local/aws-calls.ts';
import { readFixture, recordedKey, recordingDir, writeRecording, type RecordedCall } from '../helpers/aws-calls.ts';

/** What CDK puts in a function's environment, with values for every resource a function may find there. */
const RESOURCES = {
  REDRESS_TABLE_NAME: 'redress-test-table',
  REDRESS_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/redress-test-queue',
  REDRESS_DEAD_LETTER_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/redress-test-dlq',
  REDRESS_EVENT_BUS_NAME: 'redress-test',
  REDRESS_CLOCK_STATE_MACHINE_ARN: 'arn:aws:states:eu-west-1:123456789012:stateMachine:redress-test-clock',
  REDRESS_SECRETS_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:redress-test-AbCdEf',
  REDRESS_REPLY_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/redress-test-replies',
  REDRESS_CHANNEL_SECRETS_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:redress-test-channels-GhIjKl',
};
const ENTRY: Record<RedressFunctionName, string> = {
  ingest: '../../functions/ingest/index.ts',
  process: '../../functions/process/index.ts',
  'clock-check': '../../functions/clock/index.ts',
  sweeper: '../../functions/sweeper/index.ts',
  admin: '../../functions/admin/index.ts',
  report: '../../functions/reports/index.ts',
  reply: '../../functions/reply/index.ts',
};

const mocks = {
  DynamoDBClient: mockClient(DynamoDBClient),
  SQSClient: mockClient(SQSClient),
  EventBridgeClient: mockClient(EventBridgeClient),
  SFNClient: mockClient(SFNClient),
  SecretsManagerClient: mockClient(SecretsManagerClient),
};
/** Every command sent through a mocked client since the last reset: client name, command name, input. */
function sent(): Array<{ client: string; command: string; input: Record<string, unknown> }> {
  return Object.entries(mocks).flatMap(([client, mock]) =>
    (mock.calls() as Array<{ args: [{ constructor: { name: string }; input: unknown }] }>).map((call) => ({
      client,
      command: call.args[0].constructor.name,
      input: call.args[0].input as Record<string, unknown>,
    })),
  );
}
const savedEnv = { ...process.env };
const coldStartCalls: RecordedCall[] = [];

beforeAll(async () => {
  mocks.SecretsManagerClient.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ REDRESS_CURSOR_SECRET: 'a-cursor-secret-for-the-entry-point-test-000001' }) });
  Object.assign(process.env, RESOURCES, { REDRESS_JURISDICTION: 'cn', REDRESS_SLA_FIRST_RESPONSE: 'PT24H', LOG_LEVEL: 'silent' });
  for (const fn of REDRESS_FUNCTIONS) {
    for (const mock of Object.values(mocks)) mock.resetHistory();
    await import(ENTRY[fn]);
    for (const { client, command, input } of sent()) {
      for (const c of callsOfCommand(fn, client, command, input, RESOURCES)) coldStartCalls.push({ ...c, coldStart: true });
    }
  }
  const dir = recordingDir();
  if (dir) writeRecording(coldStartCalls, dir);
}, 60_000);

afterAll(() => {
  for (const mock of Object.values(mocks)) mock.restore();
  process.env = savedEnv;
});

describe('Lambda entry points at cold start', () => {
  it('are seen: ingest and admin read the secret their environment names (channel secrets, cursor secret)', () => {
    const keys = coldStartCalls.map(awsCallKey);
    expect(keys).toContain('ingest secretsmanager:GetSecretValue REDRESS_SECRETS_ARN');
    expect(keys).toContain('admin secretsmanager:GetSecretValue REDRESS_SECRETS_ARN');
  });

  it('make exactly the cold-start calls test/fixtures/aws-calls.json lists', () => {
    if (recordingDir()) return; // `npm run iam:record` is writing the fixture from these
    const listed = readFixture()
      .filter((c) => c.coldStart)
      .map(recordedKey)
      .sort();
    expect(coldStartCalls.map(recordedKey).sort(), 'run `npm run iam:record`').toEqual(listed);
  });
});
