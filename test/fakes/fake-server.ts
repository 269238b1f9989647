/**
 * The shared machinery of the platform fakes: a plain node:http server on 127.0.0.1 that records every
 * request, answers through the platform's own checks, and can be told to fail the next requests the
 * ways platforms fail: a 5xx, a 429 with `Retry-After`, a hang (the caller's timeout fires), or a
 * permanent 4xx with the platform's error body.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the fake received it. */
export interface RecordedRequest {
  method: string;
  /** The path without the query string. */
  path: string;
  query: URLSearchParams;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  body: string;
  /** What the fake answered (absent for a hang). */
  answeredStatus?: number;
}

/** An answer in the platform's format. */
export interface FakeAnswer {
  status: number;
  headers?: Record<string, string>;
  /** A string is sent as is; anything else as JSON. */
  body?: unknown;
}

/** A failure the next request(s) get instead of the platform's normal answer. */
export type FakeFailure =
  | { kind: 'server_error' }
  | { kind: 'rate_limited'; retryAfterSeconds?: number }
  | { kind: 'hang' }
  | { kind: 'permanent' };

/** What a platform fake defines: its checks and its failure bodies. */
export interface FakeBehaviour {
  handle(req: RecordedRequest): FakeAnswer;
  failure(failure: Exclude<FakeFailure, { kind: 'hang' }>, req: RecordedRequest): FakeAnswer;
}

/** A running fake. */
export class FakeServer {
  readonly requests: RecordedRequest[] = [];
  private readonly failures: FakeFailure[] = [];
  private server?: Server;
  private baseUrl = '';

  constructor(private readonly behaviour: FakeBehaviour) {}

  /** `http://127.0.0.1:<port>`, once started. */
  get url(): string {
    return this.baseUrl;
  }

  /** The next `failures.length` requests fail as given, in order (then the fake answers normally again). */
  failNext(...failures: FakeFailure[]): void {
    this.failures.push(...failures);
  }

  /** Starts listening on a free port. */
  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.serve(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** Stops the server, dropping hanging requests. */
  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://fake');
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers[name] = value;
    const recorded: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers, body: Buffer.concat(chunks).toString('utf8') };
    this.requests.push(recorded);
    const failure = this.failures.shift();
    if (failure?.kind === 'hang') return; // never answered: the caller's timeout decides
    let answer: FakeAnswer;
    try {
      answer = failure ? this.behaviour.failure(failure, recorded) : this.behaviour.handle(recorded);
    } catch (err) {
      answer = { status: 500, body: { fakeError: String(err) } };
    }
    recorded.answeredStatus = answer.status;
    const isText = typeof answer.body === 'string';
    const payload = answer.body === undefined ? '' : isText ? (answer.body as string) : JSON.stringify(answer.body);
    res.writeHead(answer.status, { ...(payload ? { 'content-type': isText ? 'text/plain' : 'application/json' } : {}), ...answer.headers });
    res.end(payload);
  }
}

/** The JSON body of a request, or undefined when it is not JSON. */
export function jsonBody(req: RecordedRequest): unknown {
  try {
    return JSON.parse(req.body) as unknown;
  } catch {
    return undefined;
  }
}

/** A plain object, or undefined. */
export function asObject(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** A random id of `length` hex characters. */
export function hexId(length: number): string {
  let out = '';
  while (out.length < length) out += Math.floor(Math.random() * 16).toString(16);
  return out;
}
