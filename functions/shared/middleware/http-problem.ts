/**
 * middy middleware: every thrown ProblemError becomes its problem+json answer; anything else is logged
 * (class and message only) and answered 500 without details, so a bug never leaks internals.
 */
import type { MiddlewareObj } from '@middy/core';
import { ProblemError } from '../errors.ts';
import { problem, type HttpEvent, type HttpResult } from '../http.ts';
import { errorFields, type Logger } from '../logger.ts';

export function httpProblem(logger: Logger): MiddlewareObj<HttpEvent, HttpResult> {
  return {
    name: 'httpProblem',
    onError: async (request) => {
      const err = request.error;
      const path = request.event?.rawPath;
      if (err instanceof ProblemError) {
        if (err.status >= 500) logger.error('request failed', { path, status: err.status, ...errorFields(err) });
        request.response = problem(err, path);
        return;
      }
      logger.error('unhandled error', { path, ...errorFields(err) });
      request.response = problem(new ProblemError(500, 'Internal Server Error', 'Something went wrong on our side.'), path);
    },
  };
}
