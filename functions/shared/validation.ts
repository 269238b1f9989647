/**
 * Turning zod failures into the 400 answers every route gives: problem+json whose `errors` name each
 * bad field by its dotted path (`data.text`, `entry.0.messaging.1.message.mid`).
 */
import type * as z from 'zod/mini';
import { BadRequestError, type FieldError } from './errors.ts';

/** zod issues as field errors (at most `maxIssues` of them, when given). */
export function zodFieldErrors(error: z.core.$ZodError, maxIssues?: number): FieldError[] {
  const issues = maxIssues === undefined ? error.issues : error.issues.slice(0, maxIssues);
  return issues.map((issue) => ({
    field: issue.path.length ? issue.path.map(String).join('.') : '(body)',
    message: issue.message,
  }));
}

/** Validates `value` with `schema`, or throws a 400 naming the bad fields (`Invalid <what>: a, b.`). */
export function parseWith<T extends z.ZodMiniType>(schema: T, value: unknown, what: string, maxIssues?: number): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const errors = zodFieldErrors(result.error, maxIssues);
  throw new BadRequestError(`Invalid ${what}: ${errors.map((e) => e.field).join(', ')}.`, errors);
}
