import { defineConfig } from 'vitest/config';

// The root vitest.config.ts only collects packages/, services/ and tests/: this one runs the QUBO
// set's own tests (`npm run test:qubo-set`). Adding 'bench/**/*.test.ts' to the root include list
// would put them into `npm test` as well.
export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['bench/qubo-set/**/*.test.ts'],
    testTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
