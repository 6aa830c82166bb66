export { createThread } from './thread.js';
export type { KilnNative, NativeStatus } from './native-api.js';
export { loadNative, nativeStatus } from './native.js';
