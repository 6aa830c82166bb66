export { type ApiOptions, buildApi } from './app.js';
export { ApiEnv, loadApiEnv } from './env.js';
