/**
 * middy middleware: every thrown ProblemError becomes its problem+json answer, and so does every domain
 * error with an HTTP meaning, mapped here and nowhere else (toProblem); anything else is logged (class and
 * message only) and answered 500 without details, so a bug never leaks internals.
 */
import type { MiddlewareObj } from '@middy/core';
import { BadRequestError, ConflictError, NotFoundError, ProblemError } from '../errors.ts';
import { FaqConflictError, FaqInvalidError } from '../faq/errors.ts';
import { problem, type HttpEvent, type HttpResult } from '../http.ts';
import { InvalidTransitionError, UnknownClockError } from '../lifecycle/errors.ts';
import { errorFields, type Logger } from '../logger.ts';
import { ReplyRefusedError } from '../replies/errors.ts';

/**
 * The HTTP answer of a domain error: the lifecycle's refusals (409 naming the commands still allowed and
 * the version read; 404 for a clock the complaint does not have), a reply the channel refuses (409
 * naming the rule), an invalid FAQ upload or FAQ reply (400 naming the fields) and an FAQ change that kept
 * meeting another (409 naming the version). Undefined for an error that is no client's answer.
 */
export function toProblem(err: unknown): ProblemError | undefined {
  if (err instanceof ProblemError) return err;
  if (err instanceof InvalidTransitionError) {
    const { id, version } = err.subject;
    return new ConflictError(`Cannot ${err.command} ${id} (${err.state}): ${err.message}.`, { allowed: err.allowed, currentVersion: version }, { cause: err });
  }
  if (err instanceof UnknownClockError) return new NotFoundError(`${err.subject.id}: ${err.message}.`, { cause: err });
  if (err instanceof ReplyRefusedError) return new ConflictError(err.detail, err.facts, { cause: err });
  if (err instanceof FaqInvalidError) return new BadRequestError(err.detail, err.errors, { cause: err });
  if (err instanceof FaqConflictError) return new ConflictError(err.detail, { version: err.version }, { cause: err });
  return undefined;
}

/** The middleware answering thrown errors with problem+json (RFC 9457). */
export function httpProblem(logger: Logger): MiddlewareObj<HttpEvent, HttpResult> {
  return {
    name: 'httpProblem',
    onError: async (request) => {
      const err = toProblem(request.error);
      const path = request.event?.rawPath;
      if (err) {
        if (err.status >= 500) logger.error('request failed', { path, status: err.status, ...errorFields(err) });
        request.response = problem(err, path);
        return;
      }
      logger.error('unhandled error', { path, ...errorFields(request.error) });
      request.response = problem(new ProblemError(500, 'Internal Server Error', 'Something went wrong on our side.'), path);
    },
  };
}
