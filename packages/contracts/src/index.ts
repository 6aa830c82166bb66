export * from './errors.js';
export * from './job-catalog.js';
export type * from './results.js';
