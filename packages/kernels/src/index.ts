export { createThread } from './thread.js';
