export { createThread } from './thread.js';
export type { KilnNative, NativeStatus } from './native-api.js';
