/**
 * The Logger port over Powertools for AWS Lambda's Logger: one JSON line per entry with the service,
 * the level, the Lambda context (cold start, request id, function) and the invocation's correlation ids
 * that the observability middleware appends. The fields callers pass are ids and outcomes only
 * (functions/shared/logger.ts): the adapter adds nothing from the event.
 */
import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import type { Logger } from '../../logger.ts';

type PowertoolsLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';
const LEVELS: Record<string, PowertoolsLevel> = { debug: 'DEBUG', info: 'INFO', warn: 'WARN', error: 'ERROR', silent: 'SILENT' };

/** A Powertools logger for `service` at LOG_LEVEL (debug, info, warn, error, silent; default info). */
export function createPowertoolsLogger(service: string, env: NodeJS.ProcessEnv = process.env): PowertoolsLogger {
  return new PowertoolsLogger({ serviceName: service, logLevel: LEVELS[(env.LOG_LEVEL ?? '').toLowerCase()] ?? 'INFO' });
}

/** The port's four levels onto a Powertools logger (fields become top-level keys of the entry). */
export function powertoolsLoggerPort(logger: PowertoolsLogger): Logger {
  return {
    debug: (message, fields) => logger.debug(message, fields ?? {}),
    info: (message, fields) => logger.info(message, fields ?? {}),
    warn: (message, fields) => logger.warn(message, fields ?? {}),
    error: (message, fields) => logger.error(message, fields ?? {}),
  };
}
