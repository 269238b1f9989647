import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OPENAPI_FILE } from '../../scripts/generate-schemas.ts';
import { buildOpenApiDocument, packOpenApiDocument } from './openapi-build.ts';
import { openApiDocument } from './openapi.ts';
import { ADMIN_ROUTES } from './routes.ts';

describe('the OpenAPI document served at GET /openapi.json', () => {
  it('is the one the route table and schemas generate (run `npm run schemas` after changing either)', () => {
    // Act
    const served = openApiDocument();
    // Assess: the same document, not merely the same bytes (Brotli's output may differ between zlib versions).
    expect(served).toEqual(buildOpenApiDocument());
  });

  it('is committed as packOpenApiDocument writes it', () => {
    // Prepare
    const committed = JSON.parse(readFileSync(OPENAPI_FILE, 'utf8')) as { $comment: string; brotli: string };
    // Act
    const fresh = JSON.parse(packOpenApiDocument(buildOpenApiDocument())) as { $comment: string; brotli: string };
    // Assess
    expect(Object.keys(committed)).toEqual(Object.keys(fresh));
    expect(committed.$comment).toBe(fresh.$comment);
  });

  it('lists every admin route with its schemas inlined, and is unpacked once', () => {
    // Act
    const doc = openApiDocument() as { openapi: string; paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: { properties?: object } }> }> }>> };
    // Assess
    expect(doc.openapi).toBe('3.1.0');
    for (const route of ADMIN_ROUTES) expect(doc.paths[route.path]?.[route.method.toLowerCase()], `${route.method} ${route.path}`).toBeDefined();
    expect(doc.paths['/admin/complaints']?.get?.responses['200']?.content?.['application/json']?.schema.properties).toHaveProperty('items');
    expect(openApiDocument()).toBe(doc);
  });
});
