/**
 * A minimal structured logger (one JSON line per entry, as CloudWatch and Powertools expect).
 * Callers log ids and outcomes, never message text, contact details or secrets.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** A logger writing JSON lines to stdout/stderr at or above `level` (default from LOG_LEVEL, else info). */
export function createLogger(service: string, level: LogLevel = (process.env.LOG_LEVEL as LogLevel) || 'info'): Logger {
  const min = ORDER[level] ?? ORDER.info;
  const write = (lvl: Exclude<LogLevel, 'silent'>, message: string, fields?: Record<string, unknown>) => {
    if (ORDER[lvl] < min) return;
    const line = JSON.stringify({ level: lvl.toUpperCase(), timestamp: new Date().toISOString(), service, message, ...fields });
    (lvl === 'error' || lvl === 'warn' ? process.stderr : process.stdout).write(line + '\n');
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}

/** The error's class and message only: stacks and causes may quote payloads. */
export function errorFields(err: unknown): Record<string, unknown> {
  return err instanceof Error ? { error: err.name, errorMessage: err.message.slice(0, 300) } : { error: String(err).slice(0, 300) };
}
