import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { type JobOutcome, type KilnService, type MetricDefinition, metricDefinitions, type SubmitOutcome } from './metric-names.js';

/** One queue as `kiln_queue_jobs` and `kiln_queue_paused` report it (what KilnQueues.info() and the harness's queueInfo() give). */
export interface QueueCounts {
  name: string;
  paused: boolean;
  counts: Record<string, number>;
}

export interface KilnMetricsOptions {
  service: KilnService;
  /** Longest wait for the queue counts at a scrape (default 2,000 ms); past it the scrape goes on without them. */
  queueReadTimeoutMs?: number;
  /** Told when the queue counts could not be read at a scrape. */
  onQueueReadError?(error: unknown): void;
}

// One set of process metrics per service per process: prom-client's collectors start monitors
// (event-loop delay, GC observer) that a registry per API instance (tests build many) would pile up.
const processRegistries = new Map<KilnService, Registry>();
function processRegistry(service: KilnService): Registry {
  let registry = processRegistries.get(service);
  if (!registry) {
    registry = new Registry();
    collectDefaultMetrics({ register: registry });
    processRegistries.set(service, registry);
  }
  return registry;
}

/** Registered only where `service` serves it (elsewhere its observations go nowhere). */
const registersFor = (d: MetricDefinition, service: KilnService, registry: Registry) => (d.services.includes(service) ? [registry] : []);

/**
 * A service's Prometheus registry: Kiln's metrics (metric-names.ts) and the process metrics, every
 * series labelled `service`. Things are observed as they happen (a submit answered, a job started,
 * ended, its result written); queue depths are read from BullMQ at scrape time (`watchQueues`).
 */
export class KilnMetrics {
  readonly service: KilnService;
  /** What `/metrics` serves. */
  readonly registry: Registry;
  private readonly own = new Registry();
  private readonly submitDuration: Histogram;
  private readonly queueWait: Histogram;
  private readonly runDuration: Histogram;
  private readonly resultWrite: Histogram;
  private readonly stalledJobs: Counter;
  private queues?: () => Promise<QueueCounts[]>;
  private reading?: Promise<QueueCounts[] | null>;
  private lastQueues: QueueCounts[] = [];

  constructor(private readonly options: KilnMetricsOptions) {
    this.service = options.service;
    const histogram = (d: MetricDefinition) =>
      new Histogram({
        name: d.name,
        help: d.help,
        labelNames: [...d.labelNames],
        buckets: [...(d.buckets ?? [])],
        registers: registersFor(d, options.service, this.own),
      });
    const { submitDuration, queueWait, runDuration, resultWrite, stalled, queueJobs, queuePaused } = metricDefinitions;
    this.submitDuration = histogram(submitDuration);
    this.queueWait = histogram(queueWait);
    this.runDuration = histogram(runDuration);
    this.resultWrite = histogram(resultWrite);
    this.stalledJobs = new Counter({
      name: stalled.name,
      help: stalled.help,
      labelNames: [...stalled.labelNames],
      registers: registersFor(stalled, options.service, this.own),
    });
    // Both gauges are filled from one read per scrape (prom-client collects them concurrently).
    const jobsGauge: Gauge = new Gauge({
      name: queueJobs.name,
      help: queueJobs.help,
      labelNames: [...queueJobs.labelNames],
      registers: [this.own],
      collect: async () => {
        const queues = await this.readQueues();
        jobsGauge.reset();
        for (const q of queues ?? []) for (const [state, n] of Object.entries(q.counts)) jobsGauge.set({ queue: q.name, state }, n);
      },
    });
    const pausedGauge: Gauge = new Gauge({
      name: queuePaused.name,
      help: queuePaused.help,
      labelNames: [...queuePaused.labelNames],
      registers: [this.own],
      collect: async () => {
        const queues = await this.readQueues();
        pausedGauge.reset();
        for (const q of queues ?? []) pausedGauge.set({ queue: q.name }, q.paused ? 1 : 0);
      },
    });
    this.registry = Registry.merge([processRegistry(options.service), this.own]);
    this.registry.setDefaultLabels({ service: options.service });
  }

  /** Where the queue gauges are read from at each scrape: one call (one BullMQ read per queue). */
  watchQueues(read: () => Promise<QueueCounts[]>): void {
    this.queues = read;
  }

  /** The queues as last read at a scrape (tests, diagnostics). */
  get lastQueueCounts(): readonly QueueCounts[] {
    return this.lastQueues;
  }

  submitted(kind: string, outcome: SubmitOutcome, endpoint: 'single' | 'batch', seconds: number): void {
    this.submitDuration.observe({ kind, outcome, endpoint }, seconds);
  }

  jobStarted(kind: string, waitSeconds: number): void {
    this.queueWait.observe({ kind }, waitSeconds);
  }

  jobEnded(kind: string, outcome: JobOutcome, seconds: number): void {
    this.runDuration.observe({ kind, outcome }, seconds);
  }

  resultWritten(kind: string, seconds: number): void {
    this.resultWrite.observe({ kind }, seconds);
  }

  jobStalled(queue: string): void {
    this.stalledJobs.inc({ queue });
  }

  /** The Prometheus text of every metric. */
  metrics(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  private readQueues(): Promise<QueueCounts[] | null> {
    const read = this.queues;
    if (!read) return Promise.resolve(null);
    // A lost Redis must not fail the scrape (the process metrics still matter then): the queue
    // gauges are left out of it instead.
    this.reading ??= (async () => {
      let timer: NodeJS.Timeout | undefined;
      try {
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('queue counts timed out')), this.options.queueReadTimeoutMs ?? 2_000);
        });
        const queues = await Promise.race([read(), timeout]);
        this.lastQueues = queues;
        return queues;
      } catch (error) {
        this.options.onQueueReadError?.(error);
        return null;
      } finally {
        clearTimeout(timer);
        this.reading = undefined;
      }
    })();
    return this.reading;
  }
}
