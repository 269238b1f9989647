/**
 * Named errors that carry an HTTP status and render as RFC 9457 problem+json.
 * Handlers throw these; the http-problem middleware turns them into responses. Anything else is a bug
 * (or an outage of a dependency) and becomes a 500/503 without leaking details.
 */

/** One field that failed validation, named by its dotted path (`data.text`). */
export interface FieldError {
  field: string;
  message: string;
}

/** Base class: an error that is the client's answer, not a crash. */
export class ProblemError extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail: string | undefined;
  readonly errors: FieldError[] | undefined;
  readonly extra: Record<string, unknown> | undefined;
  /** Response headers the answer needs (a 405's `Allow`). */
  readonly headers: Record<string, string> = {};

  constructor(status: number, title: string, detail?: string, errors?: FieldError[], extra?: Record<string, unknown>, options?: ErrorOptions) {
    super(detail ? `${title}: ${detail}` : title, options);
    this.name = new.target.name;
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.errors = errors;
    this.extra = extra;
  }
}

export class BadRequestError extends ProblemError {
  constructor(detail: string, errors?: FieldError[], options?: ErrorOptions) {
    super(400, 'Bad Request', detail, errors, undefined, options);
  }
}
export class UnauthorizedError extends ProblemError {
  constructor(detail = 'The request is not signed or the signature does not verify.') {
    super(401, 'Unauthorized', detail);
  }
}
export class ForbiddenError extends ProblemError {
  constructor(detail = 'Forbidden.') {
    super(403, 'Forbidden', detail);
  }
}
export class NotFoundError extends ProblemError {
  constructor(detail = 'Not found.', options?: ErrorOptions) {
    super(404, 'Not Found', detail, undefined, undefined, options);
  }
}
export class MethodNotAllowedError extends ProblemError {
  /** The methods the resource answers, for the `Allow` header RFC 9110 requires on a 405. */
  readonly allow: string[];
  constructor(detail = 'Method not allowed.', allow: string[] = []) {
    super(405, 'Method Not Allowed', detail);
    this.allow = allow;
    if (allow.length) this.headers.allow = allow.join(', ');
  }
}
export class ConflictError extends ProblemError {
  constructor(detail: string, extra?: Record<string, unknown>, options?: ErrorOptions) {
    super(409, 'Conflict', detail, undefined, extra, options);
  }
}
export class PreconditionFailedError extends ProblemError {
  constructor(detail: string, extra?: Record<string, unknown>) {
    super(412, 'Precondition Failed', detail, undefined, extra);
  }
}
export class PayloadTooLargeError extends ProblemError {
  constructor(limitBytes: number) {
    super(413, 'Payload Too Large', `The body is larger than ${limitBytes} bytes.`);
  }
}
/**
 * Refuses a body over `limitBytes` with a 413, before any hashing or parsing is spent on it. The one size
 * check every HTTP entry uses (webhooks, admin JSON and FAQ uploads, survey answers), each with its limit.
 * @throws PayloadTooLargeError when the body is larger than the limit.
 */
export function assertBodyWithin(body: Uint8Array, limitBytes: number): void {
  if (body.length > limitBytes) throw new PayloadTooLargeError(limitBytes);
}
export class UnsupportedMediaTypeError extends ProblemError {
  constructor(got: string | undefined, expected: string) {
    super(415, 'Unsupported Media Type', `Content-Type ${got ? `"${got}"` : '(none)'} is not accepted here; send ${expected}.`);
  }
}
export class ServiceUnavailableError extends ProblemError {
  constructor(detail: string, options?: ErrorOptions) {
    super(503, 'Service Unavailable', detail, undefined, undefined, options);
  }
}
