/**
 * The report function's one composition root: the admin handler with a report source (the routes whose
 * `servedBy` is `report`). The Lambda entry (index.ts) gives it an AWS document client; the local stack
 * (infra/local/local-stack.ts) gives it dynalite. Only what is passed in differs, so the two wirings
 * cannot drift apart.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoAdminQueries } from '../shared/adapters/aws/dynamo-admin-queries.ts';
import { DynamoCustomerLinks } from '../shared/adapters/aws/dynamo-customer-links.ts';
import { DynamoFeedbackRepository } from '../shared/adapters/aws/dynamo-feedback-repository.ts';
import { DynamoPlanStore } from '../shared/adapters/aws/dynamo-plan-store.ts';
import { DynamoReportSource } from '../shared/adapters/aws/dynamo-report-source.ts';
import { loadClockPolicy, type ClockPolicy } from '../shared/clocks/policy.ts';
import type { Logger } from '../shared/logger.ts';
import { reportTimeZone } from '../shared/reports/quarters.ts';
import { createCursorCodec } from '../admin/cursor.ts';
import { createAdminHandler } from '../admin/handler.ts';
import { quarterReportsOver } from '../admin/reports/report-service.ts';

/** The report function's settings, each validated (a bad value fails the cold start, naming its variable). */
export interface ReportConfig {
  /** REDRESS_SLA_*, REDRESS_JURISDICTION…: the first-response target the reports measure against. */
  clockPolicy: ClockPolicy;
  /** REDRESS_TIMEZONE: the bank's quarters and days. */
  timeZone: string;
}

/** The report function's settings from its environment. */
export function parseReportConfig(env: Record<string, string | undefined>): ReportConfig {
  return { clockPolicy: loadClockPolicy(env), timeZone: reportTimeZone(env) };
}

/** What the report function is wired to: the table (through its document client), its logger and cursor keys. */
export interface ReportAdapters {
  documentClient: DynamoDBDocumentClient;
  tableName: string;
  logger: Logger;
  /**
   * The keys cursors are signed with. The report routes take no cursor: in AWS a key of the container's
   * own, so no cursor it could sign is accepted elsewhere.
   */
  cursorSecrets: string[];
}

/** The report handler (the admin handler with a report source) over `adapters`, configured by `config`. */
export function composeReportHandler(config: ReportConfig, adapters: ReportAdapters): ReturnType<typeof createAdminHandler> {
  const { documentClient: doc, tableName: table } = adapters;
  return createAdminHandler({
    repository: new DynamoFeedbackRepository(doc, table),
    queries: new DynamoAdminQueries(doc, table),
    // The report routes publish nothing; a bus that refuses makes a mistaken route fail loudly.
    eventBus: {
      publish: () => Promise.reject(new Error('the report function publishes no events')),
    },
    clockPolicy: config.clockPolicy,
    cursors: createCursorCodec(adapters.cursorSecrets),
    logger: adapters.logger,
    plans: new DynamoPlanStore(doc, table),
    // Repeat complaints count linked customer keys as one customer, as the metrics route does.
    reports: quarterReportsOver(new DynamoReportSource(doc, table, () => new Date(), new DynamoCustomerLinks(doc, table))),
    timeZone: config.timeZone,
  });
}
