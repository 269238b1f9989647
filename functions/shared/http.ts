/**
 * Small helpers for API Gateway HTTP API (payload format 2.0) events: raw bodies, lower-cased headers,
 * JSON and problem+json answers.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ProblemError } from './errors.ts';

export type HttpEvent = APIGatewayProxyEventV2;
export type HttpResult = APIGatewayProxyStructuredResultV2 & { statusCode: number };

/** The request body exactly as the sender sent it (base64-decoded when API Gateway marked it so). */
export function rawBody(event: Pick<HttpEvent, 'body' | 'isBase64Encoded'>): Buffer {
  if (event.body == null) return Buffer.alloc(0);
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
}

/** Header names lower-cased (HTTP API already does; REST APIs and tests may not). */
export function lowerHeaders(headers: Record<string, string | undefined> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) if (v !== undefined) out[k.toLowerCase()] = v;
  return out;
}

/** The media type of a Content-Type header, without parameters, lower-cased (`application/json`). */
export function mediaType(contentType: string | undefined): string | undefined {
  if (!contentType) return undefined;
  return contentType.split(';')[0]!.trim().toLowerCase() || undefined;
}

/** A JSON answer. */
export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResult {
  return { statusCode, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

/** A plain-text answer (WeChat `success`, handshake challenges). */
export function text(statusCode: number, body: string, contentType = 'text/plain; charset=utf-8'): HttpResult {
  return { statusCode, headers: { 'content-type': contentType }, body };
}

/** Renders a ProblemError as application/problem+json (RFC 9457). */
export function problem(err: ProblemError, instance?: string): HttpResult {
  const body: Record<string, unknown> = {
    type: 'about:blank',
    title: err.title,
    status: err.status,
    ...(err.detail ? { detail: err.detail } : {}),
    ...(instance ? { instance } : {}),
    ...(err.errors ? { errors: err.errors } : {}),
    ...(err.extra ?? {}),
  };
  return { statusCode: err.status, headers: { 'content-type': 'application/problem+json', ...err.headers }, body: JSON.stringify(body) };
}
