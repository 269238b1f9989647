/**
 * The OpenAPI 3.1 document of the public contract (channel webhooks and the admin API), served at
 * GET /openapi.json. It is generated at build time (openapi-build.ts, `npm run schemas`) and committed as
 * openapi.packed.json, so the Lambda carries neither zod's JSON Schema generator nor the work of running
 * it; it unpacks the document on the first request and keeps it for the life of the container.
 */
import packed from './openapi.packed.json' with { type: 'json' };

let cached: Record<string, unknown> | undefined;

/** The OpenAPI 3.1 document (every admin route of the route table and every webhook route). */
export function openApiDocument(): Record<string, unknown> {
  if (!cached) {
    // zlib is loaded here, not imported: loading it costs a cold start several milliseconds, and most
    // containers never answer GET /openapi.json.
    const { brotliDecompressSync } = process.getBuiltinModule('node:zlib');
    cached = JSON.parse(brotliDecompressSync(Buffer.from(packed.brotli, 'base64')).toString('utf8')) as Record<string, unknown>;
  }
  return cached;
}
