/**
 * Lambda entry point of the report function: `GET /admin/reports/quarterly` and `/handlers` (the routes
 * whose `servedBy` is `report`), behind the same HTTP API and JWT authorizer as the admin function.
 * Its composition root is compose.ts. It is the admin handler with a report source: same routing, roles and problem answers, but a function
 * of its own so a quarter of a million items reads with more memory (CPU) than the admin routes need
 * (functions/admin/reports/README.md, "What the storage side reads"), and the admin function keeps no
 * grant on the report indexes. It never writes.
 */
import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDocumentClient } from '../shared/adapters/aws/dynamo-feedback-repository.ts';
import { createLogger } from '../shared/logger.ts';
import { parseEnv } from '../shared/runtime-config.ts';
import { composeReportHandler, parseReportConfig } from './compose.ts';
import { ReportEnv } from './config.ts';

// Parsed once at cold start: a missing table or a bad clock or zone setting fails it, naming the variable.
const env = parseEnv('reports', ReportEnv, process.env);

export const handler = composeReportHandler(parseReportConfig(env), {
  documentClient: createDocumentClient(new DynamoDBClient({})),
  tableName: env.REDRESS_TABLE_NAME,
  logger: createLogger('report'),
  // Report routes take no cursor: a key of this container's own, so no cursor it could sign is accepted elsewhere.
  cursorSecrets: [randomBytes(32).toString('base64url')],
});
