export { commands, main, type MainOptions, usage } from './main.js';
export { EXIT } from './exit-codes.js';
