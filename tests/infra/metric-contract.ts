/**
 * The metrics Kiln's processes promise to Prometheus (issue 12), in one place. The alert rules, the
 * Grafana dashboard and KEDA's queries (infra/observability, infra/k8s) may only reference these;
 * tests/infra/observability.test.ts checks that. `contractProblems()` compares a real /metrics
 * answer with this list, to cross-check the services against it.
 */

export type MetricType = 'counter' | 'gauge' | 'histogram';
export type MetricSource = 'api' | 'worker-ssm' | 'worker-qubo';

export interface ContractMetric {
  /** The metric's name as prom-client registers it (a counter's includes `_total`). */
  name: string;
  type: MetricType;
  /** Labels beyond the `service` default label every Kiln process adds. */
  labels: readonly string[];
  /** The processes whose /metrics serve it. */
  servedBy: readonly MetricSource[];
}

const WORKERS: readonly MetricSource[] = ['worker-ssm', 'worker-qubo'];
const ALL: readonly MetricSource[] = ['api', ...WORKERS];

/** BullMQ queue names (packages/contracts jobCatalog; tests/infra/observability.test.ts checks them). */
export const queueNames = ['ssm-train', 'ssm-score', 'ssm-prime', 'qubo-solve'] as const;
/** Job kinds, the `kind` label (the catalog's keys). */
export const jobKinds = ['ssm.train', 'ssm.score', 'ssm.prime', 'qubo.solve'] as const;
/** The `state` label of kiln_queue_jobs. */
export const queueStates = ['waiting', 'prioritized', 'delayed', 'active', 'completed', 'failed', 'paused', 'waiting-children'] as const;
/** The `outcome` label of kiln_job_run_duration_seconds. */
export const runOutcomes = ['completed', 'failed', 'cancelled', 'handed_back'] as const;

/** The label every Kiln process puts on all its metrics (prom-client default labels). */
export const defaultLabels = ['service'] as const;

/** Kiln's own metrics. */
export const kilnMetrics: readonly ContractMetric[] = [
  { name: 'kiln_queue_jobs', type: 'gauge', labels: ['queue', 'state'], servedBy: ALL },
  { name: 'kiln_submit_duration_seconds', type: 'histogram', labels: ['kind', 'outcome'], servedBy: ['api'] },
  { name: 'kiln_job_queue_wait_seconds', type: 'histogram', labels: ['kind'], servedBy: WORKERS },
  { name: 'kiln_job_run_duration_seconds', type: 'histogram', labels: ['kind', 'outcome'], servedBy: WORKERS },
  { name: 'kiln_job_result_write_seconds', type: 'histogram', labels: ['kind'], servedBy: WORKERS },
  { name: 'kiln_jobs_stalled_total', type: 'counter', labels: ['queue'], servedBy: WORKERS },
];

/** prom-client 15's collectDefaultMetrics(), served by every process (the test compares it with prom-client's). */
export const processMetrics: readonly ContractMetric[] = [
  ...(['process_cpu_user_seconds_total', 'process_cpu_system_seconds_total', 'process_cpu_seconds_total'] as const).map((name) => ({
    name,
    type: 'counter' as const,
    labels: [],
    servedBy: ALL,
  })),
  ...(
    [
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
    ] as const
  ).map((name) => ({ name, type: 'gauge' as const, labels: [], servedBy: ALL })),
  { name: 'nodejs_gc_duration_seconds', type: 'histogram', labels: ['kind'], servedBy: ALL },
];

export const metricContract: readonly ContractMetric[] = [...kilnMetrics, ...processMetrics];

/**
 * Served by the API before issue 12 (services/api/src/routes/metrics.ts, gauges computed from the
 * job rows). Not part of the contract: no rule, panel or query here uses them, and
 * `contractProblems` neither requires nor flags them.
 */
export const apiMetricsOutsideContract = [
  'kiln_queue_paused',
  'kiln_jobs',
  'kiln_job_duration_seconds_sum',
  'kiln_job_duration_seconds_count',
  'kiln_job_duration_seconds_max',
] as const;

/** Series Prometheus adds to every scrape target itself; rules may use them too. */
export const scrapeSeries = [
  'up',
  'scrape_duration_seconds',
  'scrape_samples_scraped',
  'scrape_samples_post_metric_relabeling',
  'scrape_series_added',
] as const;

/** The series names a metric appears under in PromQL (a histogram's `_bucket`, `_sum`, `_count`). */
export function seriesNames(metric: ContractMetric): string[] {
  return metric.type === 'histogram' ? [`${metric.name}_bucket`, `${metric.name}_sum`, `${metric.name}_count`] : [metric.name];
}

/** Every series name the contract allows in a query. */
export function contractSeriesNames(): Set<string> {
  return new Set([...metricContract.flatMap(seriesNames), ...scrapeSeries]);
}

/**
 * Compares one process's /metrics text (Prometheus exposition format) with the contract: metrics it
 * should serve but does not, metrics of another type than promised, labels missing from its
 * samples, and `kiln_*` metrics the contract does not know. An empty list means it conforms.
 */
export function contractProblems(exposition: string, source: MetricSource): string[] {
  const types = new Map<string, string>();
  const labelsSeen = new Map<string, Set<string>>();
  for (const line of exposition.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)/.exec(line);
    if (type) {
      types.set(type[1]!, type[2]!);
      continue;
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s/.exec(line);
    if (!sample) continue;
    const base = sample[1]!.replace(/_(bucket|sum|count)$/, '');
    const name = types.has(sample[1]!) ? sample[1]! : base;
    const seen = labelsSeen.get(name) ?? new Set<string>();
    for (const m of (sample[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="/g)) seen.add(m[1]!);
    labelsSeen.set(name, seen);
  }
  const problems: string[] = [];
  for (const metric of metricContract) {
    if (!metric.servedBy.includes(source)) continue;
    const type = types.get(metric.name);
    if (type === undefined) {
      problems.push(`${source}: ${metric.name} missing`);
      continue;
    }
    if (type !== metric.type) problems.push(`${source}: ${metric.name} is a ${type}, the contract says ${metric.type}`);
    const seen = labelsSeen.get(metric.name);
    // A metric with no samples yet (a histogram nobody observed) has no labels to check.
    if (seen && seen.size > 0) {
      for (const label of [...metric.labels, ...defaultLabels]) if (!seen.has(label)) problems.push(`${source}: ${metric.name} has no ${label} label`);
    }
  }
  const known = new Set([...metricContract.map((m) => m.name), ...apiMetricsOutsideContract]);
  for (const name of types.keys()) if (name.startsWith('kiln_') && !known.has(name)) problems.push(`${source}: ${name} is not in the contract`);
  return problems;
}
