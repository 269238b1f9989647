/**
 * The FAQ's error family: what the store, the codec and the upload throw. Two are a client's answer, and
 * the problem middleware (middleware/http-problem.ts) maps them: an invalid upload or FAQ reply (400,
 * naming the rows and fields) and a change that kept losing to another (409, naming the version).
 */
import type { FieldError } from '../errors.ts';

/** Base of the FAQ's errors. */
export abstract class FaqError extends Error {}

/** An upload, or a reply from an FAQ entry, that cannot be taken as it is (400, naming the fields). */
export class FaqInvalidError extends FaqError {
  override name = 'FaqInvalidError';
  constructor(
    readonly detail: string,
    readonly errors: FieldError[],
  ) {
    super(detail);
  }
}

/** A change that kept meeting another change to the FAQ (409, naming the version it met). */
export class FaqConflictError extends FaqError {
  override name = 'FaqConflictError';
  constructor(
    readonly detail: string,
    readonly version: number | null,
    options?: ErrorOptions,
  ) {
    super(detail, options);
  }
}
