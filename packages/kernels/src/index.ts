export type { AnnealSettings } from './anneal-settings.js';
export { createThread } from './thread.js';
export type { AnnealMode, KilnNative, NativeAnnealOptions, NativeAnnealResult, NativeQuboProblem, NativeStatus, OnlineModelHandle } from './native-api.js';
export { loadNative, nativeStatus } from './native.js';
export { isScheduledMode } from './native-api.js';
export {
  ANNEAL_LIVE,
  annealQubo,
  annealQuboSync,
  createAnnealLive,
  createStopFlag,
  defaultAnnealBetaRange,
  defaultAnnealSchedule,
  resolveAnnealOptions,
  type AnnealProgress,
  type QuboAnnealOptions,
  type QuboAnnealResult,
} from './anneal.js';
