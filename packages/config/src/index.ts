export { EnvError, envVars, parseEnv } from './parse-env.js';
export { onShutdown } from './shutdown.js';
