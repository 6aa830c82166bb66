export {
  describeError,
  HandBack,
  type JobContext,
  type JobHandler,
  type JobHandlers,
  type JobObserver,
  type JobOutcome,
  type LifecycleHooks,
  WorkerHarness,
  type WorkerHarnessOptions,
  type WorkerQueueInfo,
} from './harness.js';
export { type BullState, KilnQueues, type KilnQueuesOptions, type QueueInfo } from './queues.js';
export { checkPrefixForCluster, createRedis, duplicateRedis, kilnKeys, parseRedisUrl, type RedisClient, type RedisTarget } from './redis.js';
export { KilnSchedules, type KilnSchedulesOptions, repeatProblem, SCHEDULES_QUEUE, type ScheduleFiring, type ScheduleRepeat } from './schedules.js';
export {
  compareEventIds,
  eventKeys,
  finalStates,
  isEventId,
  isFinalEvent,
  type JobEvent,
  JobEventLog,
  type JobEventLogOptions,
  type JobEventType,
  type NewJobEvent,
  parseEntry,
} from './job-events.js';
export { OnlineStateStore, type StoredState } from './online-store.js';
