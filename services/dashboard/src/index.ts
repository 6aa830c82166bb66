export { type DashboardOptions, buildDashboard, resolveDashboardOptions } from './server.js';
export { type DashboardEnv, loadDashboardEnv } from './env.js';
export type { ErrorBody } from './errors.js';
