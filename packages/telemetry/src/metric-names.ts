/**
 * Every metric Kiln's services expose, in one place: the API and the workers register them from
 * here, and alert rules, dashboards and their tests check their names against `metricNames` and
 * `seriesNames`.
 */
export type MetricType = 'counter' | 'gauge' | 'histogram';

export interface MetricDefinition {
  readonly name: string;
  readonly type: MetricType;
  readonly help: string;
  readonly labelNames: readonly string[];
  /** The services that expose it. */
  readonly services: readonly KilnService[];
  readonly buckets?: readonly number[];
}

/** The `service` label of every series (a default label of each service's registry). */
export type KilnService = 'api' | 'worker-ssm' | 'worker-qubo';
export const kilnServices: readonly KilnService[] = ['api', 'worker-ssm', 'worker-qubo'];

const workers: readonly KilnService[] = ['worker-ssm', 'worker-qubo'];

/** How a submit request ended: a job made (201), a replay of an Idempotency-Key (200), refused (4xx), or failed (5xx). */
export const submitOutcomes = ['accepted', 'duplicate', 'rejected', 'error'] as const;
export type SubmitOutcome = (typeof submitOutcomes)[number];

/** How one attempt of a job ended in a worker. */
export const jobOutcomes = ['completed', 'failed', 'cancelled', 'handed_back'] as const;
export type JobOutcome = (typeof jobOutcomes)[number];

export const metricDefinitions = {
  submitDuration: {
    name: 'kiln_submit_duration_seconds',
    type: 'histogram',
    help: 'Time to answer a submit (POST /v1/jobs, endpoint="single"; POST /v1/jobs/batch, endpoint="batch"), by kind (a batch of several kinds: "mixed") and outcome (accepted, duplicate, rejected, error)',
    labelNames: ['kind', 'outcome', 'endpoint'],
    services: ['api'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  },
  queueWait: {
    name: 'kiln_job_queue_wait_seconds',
    type: 'histogram',
    help: "Time from a job's enqueue (less its delay) to its first start on a worker",
    labelNames: ['kind'],
    services: workers,
    buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600, 14400],
  },
  runDuration: {
    name: 'kiln_job_run_duration_seconds',
    type: 'histogram',
    help: 'Time of one attempt of a job in a worker, start to end (row writes included), by how it ended (completed, failed, cancelled, handed_back)',
    labelNames: ['kind', 'outcome'],
    services: workers,
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600, 14400, 43200],
  },
  resultWrite: {
    name: 'kiln_job_result_write_seconds',
    type: 'histogram',
    help: "Time of a completed job's result write to Postgres (its job row)",
    labelNames: ['kind'],
    services: workers,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  },
  stalled: {
    name: 'kiln_jobs_stalled_total',
    type: 'counter',
    help: 'Jobs found stalled (their worker died or lost the lock) and put back in their queue by this worker',
    labelNames: ['queue'],
    services: workers,
  },
  queueJobs: {
    name: 'kiln_queue_jobs',
    type: 'gauge',
    help: 'Jobs in each BullMQ queue by state, read at scrape time (the API: every queue; a worker: its own)',
    labelNames: ['queue', 'state'],
    services: kilnServices,
  },
  queuePaused: {
    name: 'kiln_queue_paused',
    type: 'gauge',
    help: '1 when the queue is paused, read at scrape time',
    labelNames: ['queue'],
    services: kilnServices,
  },
} as const satisfies Record<string, MetricDefinition>;

/**
 * prom-client's default process metrics (collectDefaultMetrics, prom-client 15), exposed by every
 * service with its `service` label. A test checks this list against a real registry.
 */
export const processMetricNames = [
  'process_cpu_user_seconds_total',
  'process_cpu_system_seconds_total',
  'process_cpu_seconds_total',
  'process_start_time_seconds',
  'process_resident_memory_bytes',
  'process_virtual_memory_bytes',
  'process_heap_bytes',
  'process_open_fds',
  'process_max_fds',
  'nodejs_eventloop_lag_seconds',
  'nodejs_eventloop_lag_min_seconds',
  'nodejs_eventloop_lag_max_seconds',
  'nodejs_eventloop_lag_mean_seconds',
  'nodejs_eventloop_lag_stddev_seconds',
  'nodejs_eventloop_lag_p50_seconds',
  'nodejs_eventloop_lag_p90_seconds',
  'nodejs_eventloop_lag_p99_seconds',
  'nodejs_active_resources',
  'nodejs_active_resources_total',
  'nodejs_active_handles',
  'nodejs_active_handles_total',
  'nodejs_active_requests',
  'nodejs_active_requests_total',
  'nodejs_heap_size_total_bytes',
  'nodejs_heap_size_used_bytes',
  'nodejs_external_memory_bytes',
  'nodejs_heap_space_size_total_bytes',
  'nodejs_heap_space_size_used_bytes',
  'nodejs_heap_space_size_available_bytes',
  'nodejs_version_info',
  'nodejs_gc_duration_seconds',
] as const;

/** The name of every metric family a Kiln service exposes (Kiln's own, then the process ones). */
export const metricNames: readonly string[] = [...Object.values(metricDefinitions).map((d) => d.name), ...processMetricNames];

/** Kiln's own metric families a service exposes. */
export function metricsOf(service: KilnService): MetricDefinition[] {
  return Object.values(metricDefinitions).filter((d: MetricDefinition) => d.services.includes(service));
}

/**
 * Every series name that can appear in a scrape (a histogram's `_bucket`, `_sum` and `_count`),
 * for checking the names in PromQL expressions.
 */
export const seriesNames: readonly string[] = [
  ...Object.values(metricDefinitions).flatMap((d: MetricDefinition) =>
    d.type === 'histogram' ? [`${d.name}_bucket`, `${d.name}_sum`, `${d.name}_count`] : [d.name],
  ),
  ...processMetricNames.flatMap((n) => (n === 'nodejs_gc_duration_seconds' ? [`${n}_bucket`, `${n}_sum`, `${n}_count`] : [n])),
];
