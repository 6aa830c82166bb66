export { EnvError, envVars, parseEnv } from './parse-env.js';
