/** Guards for the SDK stand-ins of the Lambda bundles (infra/bundling/esbuild-options.ts). */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LAMBDA_BUNDLE_ALIASES } from './esbuild-options.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Every .js file under a folder. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.js'))
    .map((e) => join(e.parentPath, e.name));
}

describe('Lambda bundle aliases', () => {
  it('point at files that exist', () => {
    for (const target of Object.values(LAMBDA_BUNDLE_ALIASES)) expect(existsSync(target), target).toBe(true);
  });

  it('may drop event streams: no AWS client the project depends on has an event-stream operation', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const clients = Object.keys(pkg.dependencies).filter((d) => d.startsWith('@aws-sdk/client-'));
    expect(clients.length).toBeGreaterThan(0);
    for (const client of clients) {
      const withStreams = sources(join(ROOT, 'node_modules', client, 'dist-es')).filter((f) => /eventStream|EventStream/.test(readFileSync(f, 'utf8')));
      expect(withStreams, `${client} uses event streams: remove the @smithy/core/event-streams alias`).toEqual([]);
    }
  });
});
