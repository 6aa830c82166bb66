export * from './define-job.js';
export * from './error-body.js';
export * from './errors.js';
export * from './job-catalog.js';
export * from './jobs/qubo.js';
export * from './jobs/ssm.js';
