/** Typed stage configuration for `cdk deploy` (`-c stage=prod`); defaults suit a development stage. */
import * as z from 'zod';

export const StageConfig = z.object({
  stage: z.string().regex(/^[a-z][a-z0-9-]{0,20}$/),
  /** Jurisdiction whose regulatory resolution clocks apply (cn, uk, us, none). */
  jurisdiction: z.enum(['cn', 'uk', 'us', 'none']).default('cn'),
  /** First-response target as an ISO 8601 duration. */
  slaFirstResponse: z.string().default('PT24H'),
  /** How long a handler has to settle an item in triage, from receipt (ISO 8601 duration). */
  slaTriage: z.string().default('PT4H'),
  /** Complaint probability from which a non-complaint goes to triage; unset: the threshold the classifier ships. */
  triageThreshold: z.number().gt(0).lte(1).optional(),
  /** Public base URL of the webhook API as the platforms call it (Twilio signs the exact URL). */
  publicUrl: z.string().url().optional(),
  /** Keep data when the stack is deleted (true for anything but throwaway stages). */
  retainData: z.boolean().default(true),
  /** Timeout of the process function, seconds; the queue's visibility timeout is six times this. */
  processTimeoutSeconds: z.number().int().min(5).max(900).default(30),
  /**
   * Attempts the process function gives a message that keeps failing before it dead-letters it, and its
   * backoff between them (README "Retries and the dead-letter queue"); the queue's redrive policy is
   * set a few receives beyond the attempts.
   */
  processAttempts: z.number().int().min(1).max(100).default(16),
  retryFirstDelaySeconds: z.number().int().min(1).max(43_200).default(30),
  retryMaxDelaySeconds: z.number().int().min(1).max(43_200).default(900),
  /** Log retention for every function, days. */
  logRetentionDays: z.number().int().default(90),
  /** E-mail addresses subscribed to the supervisors' SLA alert topic. */
  supervisorEmails: z.array(z.string().email()).default([]),
  /**
   * ARN of a managed policy set as the permissions boundary of every IAM role the stack creates, for
   * organisations that require one (`-c permissionsBoundaryArn=arn:aws:iam::<account>:policy/<name>`).
   */
  permissionsBoundaryArn: z
    .string()
    .regex(/^arn:aws[a-z-]*:iam::\d{12}:policy\/[\w+=,.@/-]{1,128}$/, 'an IAM managed policy ARN (arn:aws:iam::<account>:policy/<name>)')
    .optional(),
});
export type StageConfig = z.infer<typeof StageConfig>;

/** Reads the stage config from CDK context values (`-c stage=… -c jurisdiction=…`), validated. */
export function stageConfigFromContext(get: (key: string) => unknown): StageConfig {
  const emails = get('supervisorEmails');
  return StageConfig.parse({
    stage: get('stage') ?? 'dev',
    jurisdiction: get('jurisdiction') ?? undefined,
    slaFirstResponse: get('slaFirstResponse') ?? undefined,
    slaTriage: get('slaTriage') ?? undefined,
    triageThreshold: get('triageThreshold') === undefined ? undefined : Number(get('triageThreshold')),
    publicUrl: get('publicUrl') ?? undefined,
    retainData: get('retainData') === undefined ? undefined : String(get('retainData')) !== 'false',
    supervisorEmails: typeof emails === 'string' ? emails.split(',').filter(Boolean) : emails ?? undefined,
    permissionsBoundaryArn: get('permissionsBoundaryArn') || undefined,
  });
}
