import { defineConfig } from 'vitest/config';

// The quick suite (`npm test`, CI): unit tests beside the code, integration tests against the local
// stack started in-process, infra tests on the synthesized template. Long-running suites (load, soak)
// live under test/long and run with `npm run test:long`.
export default defineConfig({
  test: {
    include: ['functions/**/*.test.ts', 'schemas/**/*.test.ts', 'infra/**/*.test.ts', 'scripts/**/*.test.ts', 'bench/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['node_modules/**', 'test/long/**', 'cdk.out/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
