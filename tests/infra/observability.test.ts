import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jobCatalog, jobKinds as catalogKinds } from '@kiln/contracts';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { k8sDir, memoryBytes, podSpec, readYaml, root, yamlFilesUnder } from './manifests.js';
import { contractProblems, contractSeriesNames, jobKinds, kilnMetrics, processMetrics, queueNames, runOutcomes } from './metric-contract.js';
import { metricNamesIn } from './promql.js';

// Kiln's Prometheus rules, scrape config and Grafana dashboard (infra/observability): promtool
// checks and unit tests, and every metric they read is one the services promise (metric-contract.ts).

const obs = join(root, 'infra/observability');
const rulesPath = join(obs, 'prometheus/kiln-rules.yaml');
const rulesTestPath = join(obs, 'prometheus/kiln-rules.test.yaml');
const configPath = join(obs, 'prometheus/prometheus.yml');
const dashboardPath = join(obs, 'grafana/kiln-overview.json');

const hasPromtool = spawnSync('promtool', ['--version']).status === 0;
if (!hasPromtool) {
  console.warn(
    '[infra observability] SKIPPED promtool checks: promtool not found (install it with: apt-get install -y prometheus). The metric-name checks still run.',
  );
}

type Rule = { record?: string; alert?: string; expr: string; for?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
const rules = (parse(readFileSync(rulesPath, 'utf8')) as { groups: Array<{ name: string; rules: Rule[] }> }).groups.flatMap((g) => g.rules);
const recorded = new Set(rules.flatMap((r) => (r.record ? [r.record] : [])));

type Panel = {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource?: { uid: string };
  targets?: Array<{ expr: string }>;
};
const dashboard = JSON.parse(readFileSync(dashboardPath, 'utf8')) as { uid: string; panels: Panel[]; templating: { list: Array<{ name: string }> } };
const dataPanels = dashboard.panels.filter((p) => p.type !== 'row');
/** Grafana's reference to the dashboard's datasource variable. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's variable syntax, not a JS template
const DATASOURCE_VARIABLE = '${datasource}';

/** The Grafana variables of the dashboard, as Prometheus would see them after substitution. */
const grafanaToPromql = (expr: string) => expr.replaceAll('$__rate_interval', '5m').replaceAll('$namespace', 'kiln');

/** The scrape jobs Kiln's metrics come from: kiln-<component> of every pod annotated for scraping (= the Service names). */
const scrapeJobs = yamlFilesUnder(join(k8sDir, 'base'))
  .flatMap(readYaml)
  .filter((o) => o.kind === 'Deployment' && o.spec.template.metadata.annotations?.['prometheus.io/scrape'] === 'true')
  .map((d) => `kiln-${d.spec.template.metadata.labels['app.kubernetes.io/component']}`);

/** KEDA's queries, from the ScaledObjects (the production overlay's namespace, "kiln", is in them). */
const kedaQueries = yamlFilesUnder(join(k8sDir, 'components/autoscaling'))
  .flatMap(readYaml)
  .filter((o) => o.kind === 'ScaledObject')
  .flatMap((so) => so.spec.triggers.map((t: { metadata: { query: string } }) => t.metadata.query as string));

describe('the metric contract', () => {
  it("names the catalog's queues and kinds", () => {
    expect([...queueNames].sort()).toEqual(catalogKinds.map((k) => jobCatalog[k].queue).sort());
    expect([...jobKinds].sort()).toEqual([...catalogKinds].sort());
    expect(runOutcomes).toContain('handed_back');
  });

  it("lists exactly prom-client's default process metrics, with their types", async () => {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    const actual = (await registry.getMetricsAsJSON()).map((m) => `${m.name} ${m.type}`).sort();
    expect(processMetrics.map((m) => `${m.name} ${m.type}`).sort()).toEqual(actual);
  });

  it('contractProblems accepts a conforming /metrics answer and names what a wrong one lacks', async () => {
    const registry = new Registry();
    registry.setDefaultLabels({ service: 'worker-qubo' });
    collectDefaultMetrics({ register: registry });
    const q = new Gauge({ name: 'kiln_queue_jobs', help: 'h', labelNames: ['queue', 'state'], registers: [registry] });
    q.set({ queue: 'qubo-solve', state: 'waiting' }, 3);
    new Histogram({ name: 'kiln_job_queue_wait_seconds', help: 'h', labelNames: ['kind'], registers: [registry] }).observe({ kind: 'qubo.solve' }, 0.2);
    new Histogram({ name: 'kiln_job_run_duration_seconds', help: 'h', labelNames: ['kind', 'outcome'], registers: [registry] }).observe(
      { kind: 'qubo.solve', outcome: 'completed' },
      1,
    );
    new Histogram({ name: 'kiln_job_result_write_seconds', help: 'h', labelNames: ['kind'], registers: [registry] });
    new Counter({ name: 'kiln_jobs_stalled_total', help: 'h', labelNames: ['queue'], registers: [registry] }).inc({ queue: 'qubo-solve' });
    const good = await registry.metrics();
    expect(contractProblems(good, 'worker-qubo')).toEqual([]);
    // The API must serve the submit histogram, which a worker registry does not have.
    expect(contractProblems(good, 'api')).toEqual(['api: kiln_submit_duration_seconds missing']);

    registry.removeSingleMetric('kiln_jobs_stalled_total');
    new Gauge({ name: 'kiln_jobs_stalled_total', help: 'h', registers: [registry] }).set(1);
    new Gauge({ name: 'kiln_surprise', help: 'h', registers: [registry] }).set(1);
    expect(contractProblems(await registry.metrics(), 'worker-qubo').sort()).toEqual([
      'worker-qubo: kiln_jobs_stalled_total has no queue label',
      'worker-qubo: kiln_jobs_stalled_total is a gauge, the contract says counter',
      'worker-qubo: kiln_surprise is not in the contract',
    ]);
  });
});

describe('metricNamesIn', () => {
  it('finds metric names, not functions, labels, keywords, durations or numbers', () => {
    expect(
      metricNamesIn(
        'histogram_quantile(0.99, sum by (le, kind) (rate(kiln_submit_duration_seconds_bucket{namespace="x", kind=~"a|b"}[5m]))) > 1e3 and on (kind) up offset 5m',
      ),
    ).toEqual(['kiln_submit_duration_seconds_bucket', 'up']);
    expect(metricNamesIn('absent(up{job="kiln-api"} == 1)')).toEqual(['up']);
    expect(metricNamesIn('deriv(kiln:queue_backlog:jobs[15m:1m]) > 0 unless max(kiln_queue_jobs{state="paused"}) > 0')).toEqual([
      'kiln:queue_backlog:jobs',
      'kiln_queue_jobs',
    ]);
    expect(metricNamesIn('sum(rate(process_cpu_seconds_total[$__rate_interval])) by (pod) / 1.8 * 1024')).toEqual(['process_cpu_seconds_total']);
  });
});

describe('infra/observability reads only contract metrics', () => {
  const allowed = contractSeriesNames();

  it('alert and recording rules', () => {
    for (const r of rules) {
      const names = metricNamesIn(r.expr);
      expect(names.length, r.alert ?? r.record).toBeGreaterThan(0);
      for (const n of names) expect(allowed.has(n) || recorded.has(n), `${r.alert ?? r.record} reads ${n}`).toBe(true);
    }
  });

  it('the Grafana dashboard', () => {
    for (const p of dataPanels) {
      for (const t of p.targets ?? []) {
        for (const n of metricNamesIn(t.expr)) expect(allowed.has(n), `panel "${p.title}" reads ${n}`).toBe(true);
      }
    }
  });

  it("KEDA's queries", () => {
    expect(kedaQueries.length).toBe(queueNames.length);
    for (const q of kedaQueries) expect(metricNamesIn(q)).toEqual(['kiln_queue_jobs']);
  });

  it('scrape jobs named as the Services and the example scrape config name them', () => {
    expect(scrapeJobs.sort()).toEqual(['kiln-api', 'kiln-worker-qubo', 'kiln-worker-ssm']);
    const exprs = [...rules.map((r) => r.expr), ...dataPanels.flatMap((p) => (p.targets ?? []).map((t) => t.expr))];
    for (const e of exprs) {
      for (const m of e.matchAll(/job(=~?)"([^"]+)"/g)) {
        const values = m[1] === '=~' && m[2] !== 'kiln-.*' ? m[2]!.split('|') : m[1] === '=' ? [m[2]!] : [];
        for (const v of values) expect(scrapeJobs, e).toContain(v);
      }
    }
    const config = readFileSync(configPath, 'utf8');
    expect(config).toMatch(/replacement: kiln-\$1\s+target_label: job/);
  });
});

describe('alert rules', () => {
  const alerts = rules.filter((r) => r.alert);

  it('cover backlog, failures, stalls, workers down or absent, the API and its submit errors, and worker memory', () => {
    expect(new Set(alerts.map((a) => a.alert))).toEqual(
      new Set([
        'KilnQueueBacklogGrowing',
        'KilnJobFailureRateHigh',
        'KilnJobsStalled',
        'KilnWorkerDown',
        'KilnWorkersAbsent',
        'KilnApiDown',
        'KilnSubmitErrors',
        'KilnQueueMetricsMissing',
        'KilnWorkerEventLoopLag',
        'KilnWorkerSsmMemoryNearLimit',
      ]),
    );
    for (const a of alerts) {
      expect(['warning', 'critical'], a.alert).toContain(a.labels?.severity);
      expect(a.annotations?.summary, a.alert).toBeTruthy();
    }
    // The backlog counts prioritized jobs, which live apart from the wait list.
    expect(rules.find((r) => r.record === 'kiln:queue_backlog:jobs')!.expr).toMatch(/state=~"waiting\|prioritized"/);
  });

  it("warns about worker-ssm memory below its container's limit", () => {
    const ssm = yamlFilesUnder(join(k8sDir, 'base'))
      .flatMap(readYaml)
      .find((o) => o.kind === 'Deployment' && o.metadata.name === 'kiln-worker-ssm')!;
    const limit = memoryBytes(podSpec(ssm).containers[0].resources.limits.memory);
    const expr = alerts.find((a) => a.alert === 'KilnWorkerSsmMemoryNearLimit')!.expr;
    const threshold = expr
      .split('>')[1]!
      .split('*')
      .map((x) => Number(x.trim()))
      .reduce((a, b) => a * b, 1);
    expect(threshold).toBeLessThan(limit);
    expect(threshold).toBeGreaterThanOrEqual(0.8 * limit);
  });
});

describe('the Grafana dashboard', () => {
  it('parses and has the panels the issue asks for, each with a query', () => {
    const titles = dataPanels.map((p) => p.title);
    for (const want of [
      'Queue depth by state',
      'Submit latency p50 / p99',
      'Queue wait p50 / p95',
      'Run time p50 / p95 by outcome',
      'Result write p50 / p99',
      'Failure rate',
      'Workers up',
      'Resident memory',
      'CPU',
    ]) {
      expect(titles).toContain(want);
    }
    for (const p of dataPanels) {
      expect(p.targets?.length, p.title).toBeGreaterThan(0);
      expect(p.datasource?.uid, `${p.title} uses the datasource variable`).toBe(DATASOURCE_VARIABLE);
      expect(p.gridPos.x + p.gridPos.w, p.title).toBeLessThanOrEqual(24);
    }
    expect(new Set(dashboard.panels.map((p) => p.id)).size).toBe(dashboard.panels.length);
    expect(dashboard.templating.list.map((v) => v.name)).toEqual(['datasource', 'namespace']);
  });

  it('shows p50 and p99 of submit latency, and run time by kind and outcome', () => {
    const exprs = (title: string) => dataPanels.find((p) => p.title === title)!.targets!.map((t) => t.expr);
    expect(exprs('Submit latency p50 / p99').map((e) => /histogram_quantile\(([\d.]+)/.exec(e)?.[1])).toEqual(['0.5', '0.99']);
    for (const e of exprs('Run time p50 / p95 by outcome')) expect(e).toMatch(/sum by \(le, kind, outcome\)/);
    for (const m of kilnMetrics) {
      const used = dataPanels.some((p) => p.targets?.some((t) => metricNamesIn(t.expr).some((n) => n.startsWith(m.name))));
      expect(used, `${m.name} on the dashboard`).toBe(true);
    }
  });
});

describe.skipIf(!hasPromtool)('promtool', () => {
  const run = (args: string[]) => spawnSync('promtool', args, { encoding: 'utf8' });

  it('check rules: the rules file is valid', () => {
    const r = run(['check', 'rules', rulesPath]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`SUCCESS: ${rules.length} rules found`));
  });

  it('test rules: each alert fires on the series it is for and stays silent on the others', () => {
    const r = run(['test', 'rules', rulesTestPath]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    // Every alert is exercised by at least one case of the unit-test file.
    const tested = new Set(
      (parse(readFileSync(rulesTestPath, 'utf8')) as { tests: Array<{ alert_rule_test?: Array<{ alertname: string }> }> }).tests.flatMap((t) =>
        (t.alert_rule_test ?? []).map((a) => a.alertname),
      ),
    );
    for (const a of [
      'KilnQueueBacklogGrowing',
      'KilnJobFailureRateHigh',
      'KilnJobsStalled',
      'KilnWorkerDown',
      'KilnWorkersAbsent',
      'KilnApiDown',
      'KilnSubmitErrors',
      'KilnWorkerSsmMemoryNearLimit',
    ]) {
      expect(tested, a).toContain(a);
    }
  });

  it('check config: the example scrape config and its rules are valid', () => {
    let r = run(['check', 'config', configPath]);
    if (r.status !== 0 && /field kubernetes_sd_configs not found/.test(r.stdout + r.stderr)) {
      // Debian's promtool is built without Kubernetes service discovery: check the rest of the
      // file with a static target in its place.
      console.warn('[infra observability] this promtool lacks kubernetes_sd_configs; checking prometheus.yml with static_configs instead');
      const tmp = mkdtempSync(join(tmpdir(), 'kiln-prom-'));
      try {
        const config = parse(readFileSync(configPath, 'utf8')) as { scrape_configs: Array<Record<string, unknown>> };
        for (const job of config.scrape_configs) {
          expect(job.kubernetes_sd_configs).toBeDefined();
          delete job.kubernetes_sd_configs;
          job.static_configs = [{ targets: ['127.0.0.1:8080'] }];
        }
        writeFileSync(join(tmp, 'prometheus.yml'), stringify(config));
        copyFileSync(rulesPath, join(tmp, 'kiln-rules.yaml'));
        r = run(['check', 'config', join(tmp, 'prometheus.yml')]);
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
    }
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/SUCCESS: 1 rule files found/);
  });

  it("KEDA's queries count waiting + prioritized + active once per queue and namespace, less what a pause holds", () => {
    const series = (queue: string, state: string, value: number, instance = 'api-a', namespace = 'kiln') => ({
      series: `kiln_queue_jobs{namespace="${namespace}",queue="${queue}",state="${state}",job="kiln-api",instance="${instance}"}`,
      values: `${value}x5`,
    });
    const input = [
      // Two API replicas export the same gauge: counted once.
      series('ssm-train', 'waiting', 3),
      series('ssm-train', 'waiting', 3, 'api-b'),
      series('ssm-train', 'prioritized', 2),
      series('ssm-train', 'active', 1),
      series('ssm-train', 'delayed', 5),
      series('ssm-train', 'completed', 40),
      series('ssm-train', 'paused', 0),
      // Another installation's queue of the same name.
      series('ssm-train', 'waiting', 100, 'api-a', 'kiln-dev'),
      // A paused queue: its waiting and prioritized jobs cannot run.
      series('ssm-score', 'waiting', 4),
      series('ssm-score', 'prioritized', 1),
      series('ssm-score', 'active', 1),
      series('ssm-score', 'paused', 5),
      // A queue with no paused series, and delayed jobs that are not yet runnable.
      series('ssm-prime', 'waiting', 2),
      series('ssm-prime', 'delayed', 3),
      // A worker's copy without the paused state at all.
      series('qubo-solve', 'waiting', 8),
      series('qubo-solve', 'active', 2),
      series('qubo-solve', 'delayed', 7),
    ];
    const expected: Record<string, number> = { 'ssm-train': 6, 'ssm-score': 1, 'ssm-prime': 2, 'qubo-solve': 10 };
    const tests = {
      rule_files: [],
      evaluation_interval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: input,
          promql_expr_test: kedaQueries.map((q) => ({
            expr: q,
            eval_time: '2m',
            exp_samples: [{ labels: '{}', value: expected[/queue="([^"]+)"/.exec(q)![1]!] }],
          })),
        },
        // No kiln_queue_jobs at all (the API down): an empty answer, which KEDA with
        // ignoreNullValues "false" treats as an error and answers with its fallback.
        { interval: '1m', input_series: [], promql_expr_test: kedaQueries.map((q) => ({ expr: q, eval_time: '2m', exp_samples: [] })) },
      ],
    };
    const tmp = mkdtempSync(join(tmpdir(), 'kiln-keda-'));
    try {
      writeFileSync(join(tmp, 'keda.test.yaml'), stringify(tests));
      const r = run(['test', 'rules', join(tmp, 'keda.test.yaml')]);
      expect(r.status, r.stdout + r.stderr).toBe(0);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it("every dashboard query parses and evaluates (Grafana's variables substituted)", () => {
    const tests = {
      rule_files: [],
      evaluation_interval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: [],
          promql_expr_test: dataPanels.flatMap((p) => (p.targets ?? []).map((t) => ({ expr: grafanaToPromql(t.expr), eval_time: '10m', exp_samples: [] }))),
        },
      ],
    };
    const tmp = mkdtempSync(join(tmpdir(), 'kiln-dash-'));
    try {
      writeFileSync(join(tmp, 'dash.test.yaml'), stringify(tests));
      const r = run(['test', 'rules', join(tmp, 'dash.test.yaml')]);
      expect(r.status, r.stdout + r.stderr).toBe(0);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
