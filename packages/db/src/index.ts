export { createDb, type Db, type DbOptions } from './client.js';
export { defaultMigrationsDir, dropDatabase, ensureDatabase, migrate, type MigrateOptions, type MigrateResult } from './migrate.js';
export * from './repos/datasets.js';
export * from './repos/jobs.js';
export * from './repos/models.js';
export * from './repos/qubo.js';
export * from './repos/recommendations.js';
export * from './repos/training-runs.js';
