export { createSolveHandler, type SolveJobOptions } from './solve-job.js';
export { type QuboWorkerOptions, startQuboWorker } from './worker.js';
