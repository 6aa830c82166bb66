export { createScoreHandler } from './score-job.js';
export { createTrainHandler, type SsmJobOptions } from './train-job.js';
export { type SsmWorkerOptions, startSsmWorker } from './worker.js';
