/**
 * Lambda entry point of the report function: `GET /admin/reports/quarterly` and `/handlers` (the routes
 * whose `servedBy` is `report`), behind the same HTTP API and JWT authorizer as the admin function.
 * It is the admin handler with a report source: same routing, roles and problem answers, but a function
 * of its own so a quarter of a million items reads with more memory (CPU) than the admin routes need
 * (functions/admin/reports/README.md, "What the storage side reads"), and the admin function keeps no
 * grant on the report indexes. It never writes.
 */
import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoAdminQueries } from '../shared/adapters/aws/dynamo-admin-queries.ts';
import { DynamoFeedbackRepository, createDocumentClient } from '../shared/adapters/aws/dynamo-feedback-repository.ts';
import { DynamoPlanStore } from '../shared/adapters/aws/dynamo-plan-store.ts';
import { DynamoReportSource } from '../shared/adapters/aws/dynamo-report-source.ts';
import { DynamoCustomerLinks } from '../shared/adapters/aws/dynamo-customer-links.ts';
import { loadClockPolicy } from '../shared/clocks/policy.ts';
import { parseEnv } from '../shared/runtime-config.ts';
import { ReportEnv } from './config.ts';
import { createLogger } from '../shared/logger.ts';
import { createCursorCodec } from '../admin/cursor.ts';
import { createAdminHandler } from '../admin/handler.ts';
import { reportTimeZone } from '../shared/reports/quarters.ts';
import { quarterReportsOver } from '../admin/reports/report-service.ts';

// Parsed once at cold start: a missing table or a bad clock or zone setting fails it, naming the variable.
const env = parseEnv('reports', ReportEnv, process.env);
const doc = createDocumentClient(new DynamoDBClient({}));
const table = env.REDRESS_TABLE_NAME;

export const handler = createAdminHandler({
  repository: new DynamoFeedbackRepository(doc, table),
  queries: new DynamoAdminQueries(doc, table),
  // The report routes publish nothing; a bus that refuses makes a mistaken route fail loudly.
  eventBus: {
    publish: () => Promise.reject(new Error('the report function publishes no events')),
  },
  clockPolicy: loadClockPolicy(env),
  // Report routes take no cursor: a key of this container's own, so no cursor it could sign is accepted elsewhere.
  cursors: createCursorCodec([randomBytes(32).toString('base64url')]),
  logger: createLogger('report'),
  plans: new DynamoPlanStore(doc, table),
  // Repeat complaints count linked customer keys as one customer, as the metrics route does.
  reports: quarterReportsOver(new DynamoReportSource(doc, table, () => new Date(), new DynamoCustomerLinks(doc, table))),
  timeZone: reportTimeZone(env),
});
