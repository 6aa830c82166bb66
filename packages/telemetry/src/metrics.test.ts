import { collectDefaultMetrics, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { kilnServices, metricNames, metricsOf, processMetricNames, seriesNames } from './metric-names.js';
import { KilnMetrics } from './metrics.js';

/** Family names and their samples' labels, from the Prometheus text format. */
function parse(text: string) {
  const families = new Map<string, string>();
  const samples: Array<{ name: string; labels: Record<string, string>; value: number }> = [];
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)/.exec(line);
    if (type) families.set(type[1] as string, type[2] as string);
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || line.startsWith('#')) continue;
    const labels = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]));
    samples.push({ name: m[1] as string, labels, value: Number(m[3]) });
  }
  return { families, samples };
}

describe('metric names', () => {
  it('lists the process metrics prom-client exposes, and every name once', async () => {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    const names = (await registry.getMetricsAsJSON()).map((m) => m.name);
    expect([...names].sort()).toEqual([...processMetricNames].sort());
    expect(new Set(metricNames).size).toBe(metricNames.length);
    expect(seriesNames).toContain('kiln_job_run_duration_seconds_bucket');
    expect(seriesNames).toContain('kiln_jobs_stalled_total');
    expect(seriesNames).toContain('nodejs_gc_duration_seconds_count');
  });

  it.each(kilnServices)('%s exposes exactly its listed metrics, every series labelled with the service', async (service) => {
    const metrics = new KilnMetrics({ service });
    metrics.watchQueues(async () => [{ name: 'qubo-solve', paused: true, counts: { waiting: 3, completed: 1 } }]);
    metrics.submitted('qubo.solve', 'accepted', 'single', 0.002);
    metrics.jobStarted('qubo.solve', 0.5);
    metrics.jobEnded('qubo.solve', 'completed', 0.01);
    metrics.resultWritten('qubo.solve', 0.001);
    metrics.jobStalled('qubo-solve');
    const { families, samples } = parse(await metrics.metrics());
    const kiln = [...families.keys()].filter((n) => n.startsWith('kiln_'));
    // Exactly the families the list gives this service (observations of the others go nowhere).
    expect(kiln.sort()).toEqual(
      metricsOf(service)
        .map((d) => d.name)
        .sort(),
    );
    expect([...families.keys()].filter((n) => !n.startsWith('kiln_')).sort()).toEqual([...processMetricNames].sort());
    for (const d of metricsOf(service)) expect(families.get(d.name), d.name).toBe(d.type);
    expect(samples.every((s) => s.labels.service === service)).toBe(true);
    expect(samples.find((s) => s.name === 'kiln_queue_jobs' && s.labels.state === 'waiting')?.value).toBe(3);
    expect(samples.find((s) => s.name === 'kiln_queue_paused')?.value).toBe(1);
    const names = new Set(samples.map((s) => s.name));
    if (service === 'api') expect(names.has('kiln_submit_duration_seconds_count')).toBe(true);
    else expect([names.has('kiln_job_run_duration_seconds_count'), names.has('kiln_jobs_stalled_total')]).toEqual([true, true]);
  });

  it('leaves the queue gauges out of a scrape when the queues cannot be read, and says why', async () => {
    const errors: unknown[] = [];
    const metrics = new KilnMetrics({ service: 'api', queueReadTimeoutMs: 50, onQueueReadError: (e) => errors.push(e) });
    metrics.watchQueues(() => new Promise(() => undefined));
    const { samples } = parse(await metrics.metrics());
    expect(samples.some((s) => s.name === 'kiln_queue_jobs')).toBe(false);
    expect(samples.some((s) => s.name === 'process_cpu_seconds_total')).toBe(true);
    // Both gauges were filled from one read.
    expect(errors).toHaveLength(1);
    expect(String(errors[0])).toMatch(/timed out/);
  });
});
