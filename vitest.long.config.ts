import { defineConfig } from 'vitest/config';

// `npm run test:long`: the bounded load test and the full-size crash test (minutes, not for every CI run;
// the quick suite runs short versions of both).
export default defineConfig({
  test: {
    include: ['test/long/**/*.test.ts'],
    testTimeout: 15 * 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
