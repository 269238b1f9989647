/**
 * AWS SDK configuration for talking to dynalite on loopback: the same clients and commands as in AWS,
 * with the transport work a loopback emulator does not need taken out. Measured on the local stack,
 * the SDK's default Node handler, SigV4 signing and user-agent building made a receipt put cost about
 * 0.6 ms of CPU in the calling thread; with these about half that. Handlers and adapters are unchanged: this is
 * client configuration, applied where the local stack builds its DynamoDB client.
 */
import http from 'node:http';

/** The parts of the SDK's HttpRequest that a JSON-protocol call (DynamoDB) uses. */
interface SdkHttpRequest {
  method: string;
  hostname: string;
  port?: number;
  path: string;
  query?: Record<string, string | string[] | null>;
  headers: Record<string, string>;
  body?: unknown;
}

/**
 * A minimal request handler for a loopback endpoint: one keep-alive agent, the body buffered (the
 * SDK's deserializer takes a Uint8Array as is), no socket timers or `Expect: 100-continue` logic.
 * Errors surface as the SDK's retryable network errors do (the retry middleware still applies).
 */
export class LoopbackHttpHandler {
  private readonly agent: http.Agent;

  constructor(maxSockets = 64) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets });
  }

  handle(request: SdkHttpRequest, options: { abortSignal?: AbortSignal } = {}): Promise<{ response: { statusCode: number; headers: Record<string, string>; body: Buffer } }> {
    return new Promise((resolve, reject) => {
      const query = request.query && Object.keys(request.query).length ? `?${new URLSearchParams(request.query as Record<string, string>).toString()}` : '';
      const req = http.request(
        { agent: this.agent, host: request.hostname, port: request.port, method: request.method, path: request.path + query, headers: request.headers, signal: options.abortSignal },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const headers: Record<string, string> = {};
            for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
            resolve({ response: { statusCode: res.statusCode ?? 0, headers, body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks) } });
          });
        },
      );
      req.on('error', (err) => reject(Object.assign(err, { name: err.name === 'AbortError' ? 'AbortError' : 'TimeoutError', $metadata: {} })));
      const body = request.body;
      req.end(typeof body === 'string' || body instanceof Uint8Array ? body : undefined);
    });
  }

  updateHttpClientConfig(): void {}

  httpHandlerConfigs(): Record<string, never> {
    return {};
  }

  destroy(): void {
    this.agent.destroy();
  }
}

/**
 * A signer for emulators that check only that a request carries SigV4's shape (dynalite): a fixed
 * Authorization header and date instead of hashing the payload and deriving a key per call. Never
 * used against AWS.
 */
export const emulatorSigner = {
  sign: async <T extends { headers: Record<string, string> }>(request: T): Promise<T> => {
    const date = new Date().toISOString().replace(/[-:]|\.\d{3}/g, '');
    request.headers['x-amz-date'] = date;
    request.headers.authorization = `AWS4-HMAC-SHA256 Credential=local/${date.slice(0, 8)}/local/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=local`;
    return request;
  },
};

/** Middleware a loopback client can do without: the user-agent header (string building per call) and Lambda recursion detection. */
export const LOOPBACK_UNNEEDED_MIDDLEWARE = ['getUserAgentMiddleware', 'recursionDetectionMiddleware'];
