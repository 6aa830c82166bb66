import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { jobCatalog, jobKinds } from '@kiln/contracts';
import { trainingMemoryProblem } from '@kiln/ssm/config';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ApiEnv } from '../../services/api/src/env.js';
import {
  cpuCores,
  envOf,
  type K8sObject,
  k8sDir,
  kubectlProblem,
  matchesSelector,
  memoryBytes,
  podSpec,
  readEnvFile,
  readYaml,
  render,
  root,
  selects,
  validateObject,
  yamlFilesUnder,
} from './manifests.js';
import { metricNamesIn } from './promql.js';

// Kiln's Kubernetes manifests (infra/k8s): every object valid against its kind's schema, and the
// properties the deploy story relies on (probes, limits, non-root, grace periods, KEDA on queue
// depth, Services that reach pods, no real secrets, the image from the overlay).

const kubectlMissing = kubectlProblem();
const hasKubectl = kubectlMissing === undefined;
if (!hasKubectl) {
  console.warn(
    `[infra k8s] SKIPPED rendering the overlays: ${kubectlMissing}. Install kubectl 1.27 or later: apt-get install -y kubectl ` +
      "(the package from the Kubernetes apt repository, pkgs.k8s.io; Debian's own kubernetes-client 1.20 is too old). " +
      'Only the YAML files that need no rendering are validated.',
  );
}

const MiB = 2 ** 20;
const WORKER_GRACE_MIN_S = 90;
/** The queues each worker service consumes, from the job catalog. */
const queuesOf = (worker: 'ssm' | 'qubo') => jobKinds.filter((k) => jobCatalog[k].worker === worker).map((k) => jobCatalog[k].queue);
const workerOf: Record<string, 'ssm' | 'qubo'> = { 'kiln-worker-ssm': 'ssm', 'kiln-worker-qubo': 'qubo' };
/** The HTTP port and probe paths each service serves (services/*\/src/env.ts, the metric contract). */
const servicePorts: Record<string, { port: number; portEnv: string; readiness: string }> = {
  'kiln-api': { port: 8080, portEnv: 'PORT', readiness: '/readyz' },
  'kiln-dashboard': { port: 8081, portEnv: 'DASHBOARD_PORT', readiness: '/healthz' },
  'kiln-worker-ssm': { port: 9465, portEnv: 'KILN_METRICS_PORT', readiness: '/readyz' },
  'kiln-worker-qubo': { port: 9466, portEnv: 'KILN_METRICS_PORT', readiness: '/readyz' },
};
/** ML-1M as the default ssm.train job sees it (packages/ssm/src/training-memory.test.ts). */
const ml1m = { nItems: 3416, dataset: { users: 6040, interactions: 1_000_209 } };

const byKind = (objs: K8sObject[], kind: string) => objs.filter((o) => o.kind === kind);
const named = (objs: K8sObject[], kind: string, name: string) => objs.find((o) => o.kind === kind && o.metadata.name === name);
const workloads = (objs: K8sObject[]) => objs.filter((o) => o.kind === 'Deployment' || o.kind === 'Job');

/** The port number a probe's `port` (name or number) resolves to in `container`. */
function probePort(container: any, port: string | number): number | undefined {
  if (typeof port === 'number') return port;
  return container.ports?.find((p: { name?: string }) => p.name === port)?.containerPort;
}

/** Checks every workload pod: resources, security context, writable /tmp, the command. */
function checkPods(objs: K8sObject[]): void {
  for (const w of workloads(objs)) {
    const spec = podSpec(w);
    const where = `${w.kind}/${w.metadata.name}`;
    expect(spec.securityContext?.runAsNonRoot, `${where} runAsNonRoot`).toBe(true);
    expect(spec.securityContext?.runAsUser, `${where} runAsUser`).toBeGreaterThan(0);
    expect(spec.securityContext?.seccompProfile?.type, where).toBe('RuntimeDefault');
    expect(spec.automountServiceAccountToken, `${where}: no API token in a pod that never calls Kubernetes`).toBe(false);
    for (const c of spec.containers) {
      const at = `${where} container ${c.name}`;
      for (const r of ['cpu', 'memory']) {
        expect(c.resources?.requests?.[r], `${at} requests.${r}`).toBeDefined();
        expect(c.resources?.limits?.[r], `${at} limits.${r}`).toBeDefined();
      }
      expect(cpuCores(c.resources.requests.cpu), `${at} cpu request ≤ limit`).toBeLessThanOrEqual(cpuCores(c.resources.limits.cpu));
      expect(memoryBytes(c.resources.requests.memory), `${at} memory request ≤ limit`).toBeLessThanOrEqual(memoryBytes(c.resources.limits.memory));
      expect(c.securityContext?.allowPrivilegeEscalation, at).toBe(false);
      expect(c.securityContext?.capabilities?.drop, at).toEqual(['ALL']);
      expect(c.securityContext?.readOnlyRootFilesystem, `${at} readOnlyRootFilesystem`).toBe(true);
      // tsx writes its compile cache to os.tmpdir(): a writable /tmp from an emptyDir, and TMPDIR says so.
      const tmp = c.volumeMounts?.find((m: { mountPath: string }) => m.mountPath === '/tmp');
      expect(tmp, `${at} mounts /tmp`).toBeDefined();
      expect(
        spec.volumes.find((v: { name: string }) => v.name === tmp.name),
        `${at} /tmp is an emptyDir`,
      ).toHaveProperty('emptyDir');
      expect(envOf(c).get('TMPDIR'), at).toBe('/tmp');
      // ADR 1: services run through tsx; the entry file exists in the repo the image is built from.
      expect(c.command.slice(0, 3), at).toEqual(['node', '--import', 'tsx']);
      expect(existsSync(join(root, c.command[3])), `${at}: ${c.command[3]} exists`).toBe(true);
    }
  }
}

/** Checks each Deployment's probes against the port and paths its service serves. */
function checkProbes(objs: K8sObject[]): void {
  for (const d of byKind(objs, 'Deployment')) {
    const expected = servicePorts[d.metadata.name];
    expect(expected, `an unknown Deployment ${d.metadata.name}`).toBeDefined();
    const c = podSpec(d).containers[0];
    const where = `Deployment/${d.metadata.name}`;
    expect(
      c.ports.map((p: { containerPort: number }) => p.containerPort),
      where,
    ).toContain(expected!.port);
    expect(envOf(c).get(expected!.portEnv), `${where} ${expected!.portEnv}`).toBe(String(expected!.port));
    for (const [probe, path] of [
      ['livenessProbe', '/healthz'],
      ['readinessProbe', expected!.readiness],
      ['startupProbe', '/healthz'],
    ] as const) {
      const p = c[probe];
      expect(p?.httpGet?.path, `${where} ${probe}`).toBe(path);
      expect(probePort(c, p.httpGet.port), `${where} ${probe} port`).toBe(expected!.port);
    }
    // A pod annotated for scraping points Prometheus at its metrics port.
    const ann = d.spec.template.metadata.annotations ?? {};
    if (ann['prometheus.io/scrape'] === 'true') expect(ann['prometheus.io/port'], where).toBe(String(expected!.port));
  }
}

/** Graceful stop: workers get long enough to hand their jobs back, web services outlast their preStop sleep. */
function checkGrace(objs: K8sObject[]): void {
  for (const d of byKind(objs, 'Deployment')) {
    const grace = podSpec(d).terminationGracePeriodSeconds;
    if (d.metadata.name in workerOf) {
      expect(grace, `${d.metadata.name} terminationGracePeriodSeconds`).toBeGreaterThanOrEqual(WORKER_GRACE_MIN_S);
      // Longer than an ssm.train epoch (20-60 s on ML-1M) and the lock lifetime, so a worker that must
      // finish a checkpoint write still ends by itself rather than by SIGKILL.
      expect(grace).toBeGreaterThan(60);
      // A rollout never stops a worker before its replacement runs.
      expect(d.spec.strategy?.rollingUpdate?.maxUnavailable, d.metadata.name).toBe(0);
    } else {
      const sleep = podSpec(d).containers[0].lifecycle?.preStop?.exec?.command;
      expect(sleep?.[0], `${d.metadata.name} preStop`).toBe('sleep');
      expect(grace, d.metadata.name).toBeGreaterThan(Number(sleep[1]) + 10);
    }
  }
}

/** Settings tied to a container's size: threads within its CPU limit, the training budget within its memory. */
function checkSizing(objs: K8sObject[], configData: Record<string, string>, production: boolean): void {
  const ssm = podSpec(named(objs, 'Deployment', 'kiln-worker-ssm')!).containers[0];
  const qubo = podSpec(named(objs, 'Deployment', 'kiln-worker-qubo')!).containers[0];
  expect(memoryBytes(ssm.resources.limits.memory)).toBe(2 * 2 ** 30);
  const budgetMb = Number(configData.KILN_SSM_MEMORY_MB);
  // The budget fits under the limit with room for a scoring job, and ML-1M's default training fits the budget.
  expect(budgetMb * MiB).toBeLessThanOrEqual(memoryBytes(ssm.resources.limits.memory) - 256 * MiB);
  expect(trainingMemoryProblem(ml1m, budgetMb * MiB), "ML-1M's default job is refused under this budget").toBeUndefined();
  if (production) {
    expect(cpuCores(qubo.resources.requests.cpu), 'worker-qubo is CPU-bound: request what it burns').toBe(cpuCores(qubo.resources.limits.cpu));
  }
  for (const [c, vars] of [
    [ssm, ['OMP_NUM_THREADS']],
    [qubo, ['QUBO_THREADS', 'QUBO_SLOTS', 'OMP_NUM_THREADS']],
  ] as const) {
    for (const v of vars) {
      const n = Number(envOf(c).get(v));
      expect(n, `${c.name} ${v}`).toBeGreaterThanOrEqual(1);
      expect(n, `${c.name} ${v} within the CPU limit`).toBeLessThanOrEqual(cpuCores(c.resources.limits.cpu));
    }
  }
}

/** Every Service reaches pods of a Deployment, through a port the container declares. */
function checkServices(objs: K8sObject[]): void {
  const deployments = byKind(objs, 'Deployment');
  for (const s of byKind(objs, 'Service')) {
    const target = deployments.filter((d) => selects(s.spec.selector, d.spec.template.metadata.labels));
    expect(target.length, `Service/${s.metadata.name} selects one Deployment's pods`).toBe(1);
    const container = podSpec(target[0]!).containers[0];
    for (const p of s.spec.ports) {
      expect(probePort(container, p.targetPort), `Service/${s.metadata.name} port ${p.name}`).toBeDefined();
    }
  }
  // Deployment selectors match their own pods, too.
  for (const d of deployments) expect(selects(d.spec.selector.matchLabels, d.spec.template.metadata.labels), d.metadata.name).toBe(true);
}

/** The secrets an overlay can render hold nothing real: URLs without passwords, no admin key. */
function checkRenderedSecrets(objs: K8sObject[]): void {
  for (const s of byKind(objs, 'Secret')) {
    const values = Object.entries({
      ...Object.fromEntries(Object.entries(s.data ?? {}).map(([k, v]) => [k, Buffer.from(String(v), 'base64').toString('utf8')])),
      ...(s.stringData ?? {}),
    }) as Array<[string, string]>;
    expect(values.length, `Secret/${s.metadata.name} has values`).toBeGreaterThan(0);
    for (const [key, value] of values) {
      expect(key, `Secret/${s.metadata.name}: an admin key never comes from git`).not.toBe('KILN_BOOTSTRAP_ADMIN_KEY');
      if (/^[a-z]+:\/\//.test(value)) expect(new URL(value).password, `${s.metadata.name}.${key} carries a password`).toBe('');
    }
  }
}

/** References to ConfigMaps and Secrets resolve; the only Secret left to create by hand is kiln-secrets, with the example's keys. */
function checkReferences(objs: K8sObject[]): void {
  const configMaps = new Set(byKind(objs, 'ConfigMap').map((c) => c.metadata.name));
  const secrets = new Map(byKind(objs, 'Secret').map((s) => [s.metadata.name, new Set(Object.keys({ ...s.data, ...s.stringData }))]));
  const external = readEnvFile(join(k8sDir, 'overlays/production/secrets.env.example'));
  for (const w of workloads(objs)) {
    for (const c of podSpec(w).containers) {
      for (const from of c.envFrom ?? []) {
        if (from.configMapRef) expect(configMaps.has(from.configMapRef.name), `${w.metadata.name} → ConfigMap ${from.configMapRef.name}`).toBe(true);
      }
      for (const e of c.env ?? []) {
        const ref = e.valueFrom?.secretKeyRef;
        if (!ref) continue;
        // kiln-secrets, with kustomize's hash suffix when the overlay generates it.
        expect(ref.name, `${w.metadata.name} ${e.name}`).toMatch(/^kiln-secrets(-[a-z0-9]{10})?$/);
        const keys = secrets.get(ref.name);
        if (ref.name !== 'kiln-secrets') expect(keys, `${ref.name} is rendered`).toBeDefined();
        if (keys) {
          if (!ref.optional) expect(keys.has(ref.key), `${w.metadata.name}: kiln-secrets has ${ref.key}`).toBe(true);
        } else {
          expect(external.has(ref.key), `${w.metadata.name}: ${ref.key} is listed in overlays/production/secrets.env.example`).toBe(true);
        }
      }
    }
  }
}

/** KEDA: each worker scales on Prometheus' kiln_queue_jobs for its own queues, prioritized jobs included. */
function checkScaledObjects(objs: K8sObject[], namespace: string): void {
  const scaled = byKind(objs, 'ScaledObject');
  expect(scaled.map((s) => s.spec.scaleTargetRef.name).sort()).toEqual(Object.keys(workerOf).sort());
  for (const so of scaled) {
    const target = named(objs, 'Deployment', so.spec.scaleTargetRef.name);
    expect(target, `ScaledObject/${so.metadata.name} targets a rendered Deployment`).toBeDefined();
    expect(target!.spec.replicas, `${target!.metadata.name}: KEDA owns replicas, a re-apply must not reset them`).toBeUndefined();
    expect(so.spec.minReplicaCount, 'minReplicaCount ≥ 1: a worker must be there to promote delayed jobs').toBeGreaterThanOrEqual(1);
    expect(so.spec.maxReplicaCount).toBeGreaterThanOrEqual(so.spec.minReplicaCount);
    expect(so.spec.fallback?.replicas, 'fallback when Prometheus cannot answer').toBeGreaterThanOrEqual(so.spec.minReplicaCount);
    const env = envOf(podSpec(target!).containers[0]);
    const queues: string[] = [];
    for (const t of so.spec.triggers) {
      const at = `ScaledObject/${so.metadata.name} trigger ${t.name}`;
      expect(t.type, at).toBe('prometheus');
      const q: string = t.metadata.query;
      expect(metricNamesIn(q), at).toEqual(['kiln_queue_jobs']);
      // The states counted: waiting, prioritized (a sorted set that a Redis list scaler misses) and active.
      for (const matcher of q.matchAll(/state=~"([^"]+)"/g)) {
        const states = matcher[1]!.split('|');
        expect(states, at).toContain('prioritized');
        expect(states, at).toContain('waiting');
        expect(states, at).toContain('active');
        expect(states, `${at}: delayed holds jobs scheduled for later`).not.toContain('delayed');
      }
      expect(q, at).toMatch(/state=~"[^"]*prioritized/);
      const namespaces = new Set([...q.matchAll(/namespace="([^"]+)"/g)].map((m) => m[1]));
      expect([...namespaces], `${at}: the query reads this installation's namespace`).toEqual([namespace]);
      const queueNames = new Set([...q.matchAll(/queue="([^"]+)"/g)].map((m) => m[1]!));
      expect(queueNames.size, at).toBe(1);
      queues.push(...queueNames);
      expect(t.metadata.ignoreNullValues, `${at}: a missing metric is an error (fallback), not zero`).toBe('false');
      expect(() => new URL(t.metadata.serverAddress), at).not.toThrow();
      expect(Number(t.metadata.threshold), at).toBeGreaterThan(0);
      if (so.metadata.name === 'kiln-worker-ssm') {
        // One job per replica and queue: the threshold is the worker's concurrency for that queue.
        const concurrency = queueNames.has('ssm-train') ? env.get('SSM_TRAIN_CONCURRENCY') : env.get('SSM_SCORE_CONCURRENCY');
        expect(t.metadata.threshold, at).toBe(concurrency);
      }
    }
    expect(queues.sort(), `${so.metadata.name} scales on every queue it consumes`).toEqual(queuesOf(workerOf[so.spec.scaleTargetRef.name]!).sort());
  }
}

function checkAutoscalingAndBudgets(objs: K8sObject[]): void {
  const hpas = byKind(objs, 'HorizontalPodAutoscaler');
  expect(hpas.map((h) => h.spec.scaleTargetRef.name)).toEqual(['kiln-api']);
  const hpa = hpas[0]!;
  expect(named(objs, 'Deployment', 'kiln-api')!.spec.replicas, 'the HPA owns the API replicas').toBeUndefined();
  expect(hpa.spec.metrics.map((m: any) => m.resource?.name)).toEqual(['cpu']);
  expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
  const pdbs = byKind(objs, 'PodDisruptionBudget');
  for (const d of byKind(objs, 'Deployment')) {
    const budget = pdbs.filter((p) => matchesSelector(p.spec.selector, d.spec.template.metadata.labels));
    expect(budget.length, `one PodDisruptionBudget for ${d.metadata.name}`).toBe(1);
    const minAvailable = budget[0]!.spec.minAvailable;
    if (minAvailable !== undefined) {
      // A drain must stay possible: fewer pods required than the smallest replica count.
      const least = d.metadata.name === 'kiln-api' ? hpa.spec.minReplicas : d.spec.replicas;
      expect(minAvailable, d.metadata.name).toBeLessThan(least);
    }
  }
}

/** The migration runs first: kubectl's apply-first label, Argo CD's PreSync hook, Flux's force. */
function checkMigrate(objs: K8sObject[], namespace: string): void {
  const job = named(objs, 'Job', 'kiln-migrate')!;
  expect(job).toBeDefined();
  expect(podSpec(job).containers[0].command).toEqual(['node', '--import', 'tsx', 'scripts/migrate.ts']);
  expect(podSpec(job).restartPolicy).toBe('Never');
  expect(job.metadata.annotations?.['argocd.argoproj.io/hook']).toBe('PreSync');
  expect(job.metadata.annotations?.['argocd.argoproj.io/hook-delete-policy']).toBe('BeforeHookCreation');
  expect(job.metadata.annotations?.['kustomize.toolkit.fluxcd.io/force']).toBe('enabled');
  // `kubectl apply -l kiln.dev/apply-first=true` must bring everything the Job reads.
  const first = objs.filter((o) => o.metadata.labels?.['kiln.dev/apply-first'] === 'true');
  expect(first.map((o) => `${o.kind}/${o.metadata.name}`)).toContain(`Namespace/${namespace}`);
  expect(first).toContain(job);
  const c = podSpec(job).containers[0];
  expect(c.envFrom ?? [], 'a PreSync hook runs before the ConfigMap is applied: the Job reads only the Secret').toEqual([]);
  for (const e of c.env) {
    const secret = e.valueFrom?.secretKeyRef?.name;
    if (secret && named(objs, 'Secret', secret)) expect(named(objs, 'Secret', secret)!.metadata.labels?.['kiln.dev/apply-first'], secret).toBe('true');
  }
}

describe('infra/k8s YAML files (no rendering needed)', () => {
  const files = yamlFilesUnder(k8sDir).filter((f) => !f.endsWith('kustomization.yaml'));

  it('holds only complete objects of known kinds, each valid against its schema', () => {
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      for (const obj of readYaml(file)) {
        expect(() => validateObject(obj), relative(root, file)).not.toThrow();
      }
    }
  });

  it("base's workloads have probes, requests and limits, run as non-root on a read-only root, and workers stop gracefully", () => {
    const base = yamlFilesUnder(join(k8sDir, 'base')).flatMap(readYaml);
    expect(
      byKind(base, 'Deployment')
        .map((d) => d.metadata.name)
        .sort(),
    ).toEqual(Object.keys(servicePorts).sort());
    checkPods(base);
    checkProbes(base);
    checkGrace(base);
    checkServices(base);
    // Left for the overlay to set: the image.
    for (const w of workloads(base)) for (const c of podSpec(w).containers) expect(c.image, w.metadata.name).toBe('kiln');
  });

  it('the production secrets example holds placeholders only, and the API refuses its admin key', () => {
    const example = readEnvFile(join(k8sDir, 'overlays/production/secrets.env.example'));
    expect([...example.keys()].sort()).toEqual(['DATABASE_URL', 'KILN_BOOTSTRAP_ADMIN_KEY', 'REDIS_URL']);
    for (const key of ['DATABASE_URL', 'REDIS_URL']) expect(new URL(example.get(key)!).password, key).toBe('CHANGE-ME');
    // Deployed by mistake, the placeholder stops the API at boot instead of becoming a known admin key.
    expect(ApiEnv.safeParse({ KILN_BOOTSTRAP_ADMIN_KEY: example.get('KILN_BOOTSTRAP_ADMIN_KEY') }).success).toBe(false);
    for (const env of ['overlays/dev/secrets.env.example']) {
      for (const [key, value] of readEnvFile(join(k8sDir, env))) {
        expect(key).not.toBe('KILN_BOOTSTRAP_ADMIN_KEY');
        expect(new URL(value).password, `${env} ${key}`).toBe('');
      }
    }
  });

  it('the ScaledObjects scale on Prometheus, not on a Redis list', () => {
    for (const so of yamlFilesUnder(join(k8sDir, 'components/autoscaling'))
      .flatMap(readYaml)
      .filter((o) => o.kind === 'ScaledObject')) {
      for (const t of so.spec.triggers) {
        expect(t.type).toBe('prometheus');
        expect(t.metadata.query).toMatch(/kiln_queue_jobs\{[^}]*state=~"[^"]*prioritized/);
      }
    }
  });
});

const overlayNames = readdirSync(join(k8sDir, 'overlays'));

describe.skipIf(!hasKubectl)('infra/k8s overlays rendered with kubectl kustomize', () => {
  it('has the dev and production overlays', () => {
    expect(overlayNames.sort()).toEqual(['dev', 'production']);
  });

  for (const name of overlayNames) {
    describe(name, () => {
      const dir = join(k8sDir, 'overlays', name);
      const kustomization = parse(readFileSync(join(dir, 'kustomization.yaml'), 'utf8')) as {
        namespace: string;
        images: Array<{ name: string; newName?: string; newTag?: string; digest?: string }>;
      };
      const objs = hasKubectl ? render(dir) : [];
      const namespace = kustomization.namespace;

      it('renders objects that each validate against their schema', () => {
        expect(objs.length).toBeGreaterThan(8);
        for (const obj of objs) expect(() => validateObject(obj), `${obj.kind}/${obj.metadata.name}`).not.toThrow();
      });

      it('puts everything in its namespace', () => {
        expect(named(objs, 'Namespace', namespace)).toBeDefined();
        for (const obj of objs) if (obj.kind !== 'Namespace') expect(obj.metadata.namespace, `${obj.kind}/${obj.metadata.name}`).toBe(namespace);
      });

      it('runs the image the overlay names, pinned to a tag or digest', () => {
        const image = kustomization.images.find((i) => i.name === 'kiln')!;
        const expected = image.digest ? `${image.newName}@${image.digest}` : `${image.newName}:${image.newTag}`;
        expect(expected).not.toMatch(/:latest$/);
        for (const w of workloads(objs)) for (const c of podSpec(w).containers) expect(c.image, `${w.metadata.name}/${c.name}`).toBe(expected);
      });

      it('gives every pod probes, requests and limits, non-root, a read-only root with a writable /tmp', () => {
        checkPods(objs);
        checkProbes(objs);
      });

      it('gives workers long enough to hand running jobs back on SIGTERM', () => {
        checkGrace(objs);
      });

      it('sizes threads and the training budget to the containers', () => {
        const config = byKind(objs, 'ConfigMap').find((c) => c.metadata.name.startsWith('kiln-config'))!;
        checkSizing(objs, config.data, name === 'production');
      });

      it('has Services that select existing pods through declared ports', () => {
        checkServices(objs);
      });

      it('references only ConfigMaps and Secrets that exist or that the README says to create', () => {
        checkReferences(objs);
      });

      it('holds no real secret', () => {
        checkRenderedSecrets(objs);
      });

      it('runs the migration first (kubectl label, Argo CD hook, Flux force)', () => {
        checkMigrate(objs, namespace);
      });

      if (name === 'production') {
        it('scales workers with KEDA on kiln_queue_jobs (prioritized included) from Prometheus', () => {
          checkScaledObjects(objs, namespace);
        });
        it('scales the API on CPU and keeps disruption budgets that still allow a drain', () => {
          checkAutoscalingAndBudgets(objs);
        });
        it('creates no Secret: kiln-secrets comes from outside git', () => {
          expect(byKind(objs, 'Secret')).toEqual([]);
        });
      } else {
        it('needs neither KEDA nor metrics-server, and runs one replica of each service', () => {
          expect(objs.filter((o) => ['ScaledObject', 'HorizontalPodAutoscaler', 'PodDisruptionBudget'].includes(o.kind))).toEqual([]);
          for (const d of byKind(objs, 'Deployment')) expect(d.spec.replicas, d.metadata.name).toBe(1);
        });
      }
    });
  }

  it('components/service-monitor adds ServiceMonitors that reach the metrics ports and turns the scrape annotations off', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'kiln-k8s-'));
    try {
      writeFileSync(
        join(tmp, 'kustomization.yaml'),
        [
          'apiVersion: kustomize.config.k8s.io/v1beta1',
          'kind: Kustomization',
          'resources:',
          `  - ${relative(tmp, join(k8sDir, 'overlays/production'))}`,
          'components:',
          `  - ${relative(tmp, join(k8sDir, 'components/service-monitor'))}`,
          '',
        ].join('\n'),
      );
      const objs = render(tmp);
      for (const obj of objs) expect(() => validateObject(obj), `${obj.kind}/${obj.metadata.name}`).not.toThrow();
      const monitors = byKind(objs, 'ServiceMonitor');
      expect(monitors.length).toBeGreaterThan(0);
      const scraped = new Set<string>();
      for (const m of monitors) {
        const services = byKind(objs, 'Service').filter((s) => matchesSelector(m.spec.selector, s.metadata.labels));
        expect(services.length, `ServiceMonitor/${m.metadata.name} selects Services`).toBeGreaterThan(0);
        for (const s of services) {
          for (const e of m.spec.endpoints)
            expect(
              s.spec.ports.map((p: { name: string }) => p.name),
              `${m.metadata.name} → ${s.metadata.name}`,
            ).toContain(e.port);
          scraped.add(s.metadata.name);
        }
      }
      // The processes that serve /metrics (the metric contract) are all scraped, each once.
      expect([...scraped].sort()).toEqual(['kiln-api', 'kiln-worker-qubo', 'kiln-worker-ssm']);
      for (const d of byKind(objs, 'Deployment'))
        expect(d.spec.template.metadata.annotations?.['prometheus.io/scrape'] ?? 'false', d.metadata.name).toBe('false');
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
