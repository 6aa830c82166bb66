import { defineConfig } from 'vitest/config';

// The QUBO set's tests alone (`npm run test:qubo-set`); the root vitest.config.ts collects them
// too, so `npm test` runs them.
export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['bench/qubo-set/**/*.test.ts'],
    testTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
