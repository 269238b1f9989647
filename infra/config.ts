/**
 * Typed stage configuration for `cdk deploy` (`-c stage=prod`). Three layers, later ones winning: the
 * schema's defaults (a development stage), the stage's preset in cdk.json (`context.stages.<stage>`:
 * account, region, retention, alarm targets…), and any `-c key=value` given on the command line. Every
 * field can be set with `-c`; values arrive as strings there and are coerced to the field's type
 * (numbers, booleans, comma-separated lists, JSON for objects) before validation, so a value the stack
 * would ignore or misread is refused instead.
 */
import * as z from 'zod';
import { JURISDICTIONS } from '../functions/shared/clocks/policy.ts';
import { RETIRED_INDEXES, TABLE_INDEXES } from '../functions/shared/adapters/table-design.ts';

/** The retention periods CloudWatch Logs accepts, days (anything else is refused at deploy time). */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

/** Reserved concurrency per function: a webhook flood can then never take the process, clock or admin functions' capacity. */
const ReservedConcurrency = z.object({
  ingest: z.number().int().min(1).default(50),
  process: z.number().int().min(1).default(20),
  clockCheck: z.number().int().min(1).default(10),
  sweeper: z.number().int().min(1).default(2),
  admin: z.number().int().min(1).default(10),
  report: z.number().int().min(1).default(2),
  reply: z.number().int().min(1).default(10),
});

/** Steady-state requests per second and burst, for one group of routes on the HTTP API. */
const Throttle = z.object({ rateLimit: z.number().min(1), burstLimit: z.number().int().min(1) });

/** The thresholds the alarms fire at (docs/runbook.md "Alarms" says what each means). */
const AlarmThresholds = z.object({
  /** Age of the oldest message on the feedback queue, seconds (the backoff alone keeps some for up to 15 min). */
  oldestMessageAgeSeconds: z.number().int().min(60).default(1_800),
  /** 5xx answers of the webhook or admin routes in five minutes. */
  api5xxPerFiveMinutes: z.number().int().min(1).default(5),
  /** p99 latency of the webhook or admin routes, milliseconds, over five minutes. */
  apiLatencyP99Ms: z.number().int().min(100).default(3_000),
  /** Complaint.SlaBreached events in an hour. */
  slaBreachesPerHour: z.number().int().min(1).default(5),
  /** Reply.Failed events in an hour. */
  replyFailuresPerHour: z.number().int().min(1).default(10),
});

const AccountId = z.string().regex(/^\d{12}$/, 'a 12-digit AWS account id');
const Region = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'an AWS region such as eu-west-1');

export const StageConfig = z
  .object({
    stage: z.string().regex(/^[a-z][a-z0-9-]{0,20}$/),
    /** The account and region this stage deploys to; a stage that names them cannot be deployed anywhere else. */
    account: AccountId.optional(),
    region: Region.optional(),
    /** Jurisdiction whose regulatory resolution clocks apply (cn, uk, us, none). */
    jurisdiction: z.enum(JURISDICTIONS).default('cn'),
    /** First-response target as an ISO 8601 duration. */
    slaFirstResponse: z.string().default('PT24H'),
    /** How long a handler has to settle an item in triage, from receipt (ISO 8601 duration). */
    slaTriage: z.string().default('PT4H'),
    /** Complaint probability from which a non-complaint goes to triage; unset: the threshold the classifier ships. */
    triageThreshold: z.number().gt(0).lte(1).optional(),
    /** REDRESS_FAQ_AUTOREPLY: the FAQ suggestion score from which an inquiry is answered automatically; unset: off. */
    faqAutoReply: z.number().gt(0).lte(1).optional(),
    /** Public base URL of the webhook API as the platforms call it (Twilio signs the exact URL). */
    publicUrl: z.string().url().optional(),
    /**
     * Keep data when the stack is deleted: the table (with deletion protection), the secrets, the keys,
     * the queues, the log groups, the event archive and the user pool (with deletion protection).
     */
    retainData: z.boolean().default(true),
    /**
     * How CodeDeploy shifts each function's `live` alias to a new version, rolling back on the function's
     * errors or throttles alarm; unset: `canary-10-percent-5-minutes` on prod, `all-at-once` elsewhere.
     */
    deployment: z.enum(['all-at-once', 'canary-10-percent-5-minutes', 'linear-10-percent-every-minute']).optional(),
    /**
     * X-Ray active tracing of every function and of the clock state machine (a trace per request or
     * execution through Lambda and Step Functions; the functions' roles then get X-Ray's PutTraceSegments
     * and PutTelemetryRecords, which exist only on Resource "*"). On unless a stage turns it off (`prod`: on).
     */
    tracing: z.boolean().default(true),
    /** LOG_LEVEL of every function. */
    logLevel: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
    /** Timeout of the process function, seconds; the queue's visibility timeout is six times this. */
    processTimeoutSeconds: z.number().int().min(5).max(900).default(30),
    /** Timeout of the ingest function, seconds (below the HTTP API's 30 s integration limit). */
    ingestTimeoutSeconds: z.number().int().min(3).max(29).default(10),
    /**
     * Attempts the process function gives a message that keeps failing before it dead-letters it, and its
     * backoff between them (README "Retries and the dead-letter queue"); the queue's redrive policy is
     * set a few receives beyond the attempts.
     */
    processAttempts: z.number().int().min(1).max(100).default(16),
    retryFirstDelaySeconds: z.number().int().min(1).max(43_200).default(30),
    retryMaxDelaySeconds: z.number().int().min(1).max(43_200).default(900),
    /** Log retention for every log group (functions, API access logs, state machine), days. */
    logRetentionDays: z
      .number()
      .int()
      .refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), `one of CloudWatch Logs' retention periods: ${LOG_RETENTION_DAYS.join(', ')}`)
      .default(90),
    reservedConcurrency: ReservedConcurrency.default(ReservedConcurrency.parse({})),
    /**
     * Where the admin routes are served: `shared`, on the public webhook API (one URL), or `separate`, on
     * an HTTP API of their own (`AdminApiUrl`), never on the URL the platforms and customers are given,
     * with its own throttle, access logs and endpoint to front or restrict (docs/runbook.md "Edge").
     * Either way every admin route has the Cognito JWT authorizer.
     */
    adminApi: z.enum(['shared', 'separate']).default('shared'),
    /** Throttles of the webhook routes and of the admin routes, separately. */
    webhookThrottle: Throttle.default({ rateLimit: 500, burstLimit: 1000 }),
    adminThrottle: Throttle.default({ rateLimit: 20, burstLimit: 40 }),
    /** E-mail addresses subscribed to the supervisors' SLA alert topic. */
    supervisorEmails: z.array(z.string().email()).default([]),
    /** E-mail addresses subscribed to the stage's alarm topic (the on-call platform team). */
    alarmEmails: z.array(z.string().email()).default([]),
    /** An HTTPS endpoint subscribed to the alarm topic (a chat webhook bridge, an incident tool). */
    alarmWebhookUrl: z.string().url().startsWith('https://').optional(),
    alarmThresholds: AlarmThresholds.default(AlarmThresholds.parse({})),
    /**
     * What stands before the HTTP API: `direct` (the API's own endpoint) or `cloudfront` (a CloudFront
     * distribution with the AWS WAF web ACL `webAclArn`, CLOUDFRONT scope, and optionally the custom
     * domain `domainName` with its us-east-1 ACM certificate `certificateArn`).
     */
    front: z.enum(['direct', 'cloudfront']).default('direct'),
    webAclArn: z.string().regex(/^arn:aws[a-z-]*:wafv2:us-east-1:\d{12}:global\/webacl\/.+$/, 'a CLOUDFRONT-scope WAFv2 web ACL ARN (us-east-1, global/webacl/…)').optional(),
    domainName: z.string().regex(/^([a-z0-9-]+\.)+[a-z]{2,}$/).optional(),
    certificateArn: z.string().regex(/^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/.+$/, 'an ACM certificate ARN in us-east-1').optional(),
    /** Where Cognito sends handlers back after sign-in (the console's callback) and sign-out. */
    adminCallbackUrls: z.array(z.string().url()).default(['http://localhost:3000/callback']),
    adminLogoutUrls: z.array(z.string().url()).default(['http://localhost:3000/']),
    /** Prefix of the Cognito hosted sign-in domain (`<prefix>.auth.<region>.amazoncognito.com`), if the console uses it. */
    cognitoDomainPrefix: z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/).optional(),
    /** AWS Backup of the table: daily, kept `backupRetentionDays`; vault lock and a copy to another region on demand. */
    backup: z
      .object({
        enabled: z.boolean().default(true),
        retentionDays: z.number().int().min(1).default(35),
        /** Locks the vault (compliance mode after the grace period): nobody, root included, deletes a recovery point early. */
        vaultLock: z.boolean().default(false),
        /** ARN of a backup vault in another region (or account) that each recovery point is copied to. */
        copyToVaultArn: z.string().regex(/^arn:aws[a-z-]*:backup:[a-z0-9-]+:\d{12}:backup-vault:.+$/).optional(),
      })
      .default({ enabled: true, retentionDays: 35, vaultLock: false }),
    /**
     * The table's index migration on a stage that has data (README "Deploy", "Index migration"): GSIs
     * whose projection changed have new names, and CloudFormation creates or deletes at most one GSI per
     * table update. `pending`: new indexes (TABLE_INDEXES names) this stage does not have yet, left out of
     * the table (taken off the list one per deploy of the stateful stack); while any is pending the
     * stateless stack refuses to deploy, since its code reads them. `retired`: replaced indexes
     * (RETIRED_INDEXES names) the stage still has, kept until taken off the list, one per deploy. A new
     * stage lists neither.
     */
    tableIndexes: z
      .object({
        pending: z.array(z.enum(Object.values(TABLE_INDEXES).map((i) => i.name) as [string, ...string[]])).default([]),
        retired: z.array(z.enum(Object.values(RETIRED_INDEXES).map((i) => i.name) as [string, ...string[]])).default([]),
      })
      .default({ pending: [], retired: [] }),
    /**
     * ARN of a managed policy set as the permissions boundary of every IAM role the stack creates, for
     * organisations that require one (`-c permissionsBoundaryArn=arn:aws:iam::<account>:policy/<name>`).
     */
    permissionsBoundaryArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:iam::\d{12}:policy\/[\w+=,.@/-]{1,128}$/, 'an IAM managed policy ARN (arn:aws:iam::<account>:policy/<name>)')
      .optional(),
  })
  .refine((c) => c.front !== 'cloudfront' || c.webAclArn !== undefined, { message: 'a cloudfront front needs its web ACL (webAclArn)', path: ['webAclArn'] })
  .refine((c) => (c.domainName === undefined) === (c.certificateArn === undefined), { message: 'a custom domain needs its certificate, and the other way round', path: ['domainName'] })
  .refine((c) => c.stage !== 'prod' || c.adminCallbackUrls.every((u) => u.startsWith('https://')), {
    message: 'the prod stage signs handlers in only to https:// callback URLs',
    path: ['adminCallbackUrls'],
  })
  .refine((c) => c.stage !== 'prod' || (c.account !== undefined && c.region !== undefined), {
    message: 'the prod stage must pin its account and region (cdk.json context.stages.prod, or -c account=… -c region=…)',
    path: ['account'],
  });
export type StageConfig = z.infer<typeof StageConfig>;

/** The stage's deployment strategy: the configured one, else canary on prod and all at once elsewhere. */
export function deploymentStrategy(config: Pick<StageConfig, 'stage' | 'deployment'>): NonNullable<StageConfig['deployment']> {
  return config.deployment ?? (config.stage === 'prod' ? 'canary-10-percent-5-minutes' : 'all-at-once');
}

/** The fields of the stage config, to read each from context. */
const FIELDS = Object.keys(StageConfig.shape) as Array<keyof StageConfig>;

/**
 * A context value (a string on the command line, anything in cdk.json) as the type its field expects:
 * JSON for objects and arrays written as JSON, comma-separated lists for arrays, numbers, booleans.
 */
function coerce(field: keyof StageConfig, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const schema = StageConfig.shape[field];
  const inner = schema.def.type === 'optional' || schema.def.type === 'default' ? (schema.def as { innerType: z.ZodType }).innerType : schema;
  const kind = inner.def.type;
  if (kind === 'object') return JSON.parse(value);
  if (kind === 'array') return value.trim().startsWith('[') ? JSON.parse(value) : value.split(',').map((v) => v.trim()).filter(Boolean);
  if (kind === 'boolean') return value !== 'false';
  if (kind === 'number') return value.trim() === '' ? undefined : Number(value);
  return value === '' ? undefined : value;
}

/**
 * Reads the stage config from CDK context (`-c stage=… -c logRetentionDays=2557`), over the stage's
 * preset in cdk.json (`context.stages.<stage>`), validated. Throws on a value that does not fit.
 */
export function stageConfigFromContext(get: (key: string) => unknown): StageConfig {
  const stage = String(get('stage') ?? 'dev');
  const presets = (get('stages') ?? {}) as Record<string, Record<string, unknown>>;
  const merged: Record<string, unknown> = { ...(presets[stage] ?? {}), stage };
  for (const field of FIELDS) {
    if (field === 'stage') continue;
    const value = coerce(field, get(field));
    if (value !== undefined) merged[field] = value;
  }
  return StageConfig.parse(merged);
}
