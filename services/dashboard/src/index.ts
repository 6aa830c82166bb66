export { type DashboardOptions, buildDashboard, resolveDashboardOptions } from './server.js';
export { DashboardErrorCode, type ErrorBody } from './errors.js';
