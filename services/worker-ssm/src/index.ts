export { createScoreHandler } from './score-job.js';
export { createTrainHandler, type SsmJobOptions } from './train-job.js';
export { ComputePool, type ComputePoolOptions, type ComputePoolStats } from './run-compute.js';
export { type SsmWorker, type SsmWorkerOptions, startSsmWorker } from './worker.js';
