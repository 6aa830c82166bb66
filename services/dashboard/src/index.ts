export { type DashboardOptions, buildDashboard, logRedactions, resolveDashboardOptions } from './server.js';
export { proxyTarget, type ProxyTarget } from './proxy-path.js';
export { type DashboardEnv, loadDashboardEnv } from './env.js';
export type { ErrorBody } from './errors.js';
