import type { Telemetry } from 'bullmq';
import type { JobOutcome } from './metric-names.js';
import type { KilnMetrics } from './metrics.js';
import { bullmqTelemetry, withSpan } from './tracing.js';

/**
 * What @kiln/queue's WorkerHarness takes as its `observer` (its JobObserver interface, matched by
 * shape: this package does not import the queue package).
 */
export interface HarnessObserver {
  readonly bullmq?: Telemetry;
  span?<T>(name: string, attributes: Record<string, string | number>, fn: () => Promise<T>, isFailure?: (error: unknown) => boolean): Promise<T>;
  jobStarted(kind: string, waitSeconds: number): void;
  jobEnded(kind: string, outcome: JobOutcome, seconds: number): void;
  resultWritten(kind: string, seconds: number): void;
  jobStalled(queue: string): void;
}

/**
 * The worker harness's observer: its measurements go to `metrics`; with `tracing`, BullMQ carries
 * each job's trace from its producer (bullmq-otel) and the harness adds the job's span and its
 * Postgres writes. Without tracing no span is made at all.
 */
export function jobObserver(metrics: KilnMetrics, options: { tracing?: boolean } = {}): HarnessObserver {
  return {
    ...(options.tracing
      ? {
          bullmq: bullmqTelemetry(),
          span: <T>(name: string, attributes: Record<string, string | number>, fn: () => Promise<T>, isFailure?: (error: unknown) => boolean) =>
            withSpan(name, { attributes, ...(isFailure ? { isFailure } : {}) }, fn),
        }
      : {}),
    jobStarted: (kind, waitSeconds) => metrics.jobStarted(kind, waitSeconds),
    jobEnded: (kind, outcome, seconds) => metrics.jobEnded(kind, outcome, seconds),
    resultWritten: (kind, seconds) => metrics.resultWritten(kind, seconds),
    jobStalled: (queue) => metrics.jobStalled(queue),
  };
}
