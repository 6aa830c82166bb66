import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Job } from 'kubernetes-models/batch/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Namespace, Secret, Service } from 'kubernetes-models/v1';
import { parseAllDocuments } from 'yaml';

/** Helpers for tests/infra/k8s.test.ts: render kustomize trees, validate objects, read quantities. */

export const root = fileURLToPath(new URL('../../', import.meta.url));
export const k8sDir = join(root, 'infra/k8s');

/** A Kubernetes object as rendered (plain JSON); the tests read it loosely and check what they need. */
export type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
} & Record<string, any>;

/**
 * Why `kubectl kustomize` cannot render the overlays here, or undefined when it can: the overlays
 * use components and `labels.includeTemplates`, which need kubectl's built-in kustomize v5
 * (kubectl 1.27 or later).
 */
export function kubectlProblem(): string | undefined {
  const r = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return 'kubectl not found';
  const kustomize = /Kustomize Version: v(\d+)/.exec(r.stdout);
  if (!kustomize || Number(kustomize[1]) < 5) return `kubectl's built-in kustomize is older than v5 (${r.stdout.trim().replaceAll('\n', ', ')})`;
  return undefined;
}

export function parseYamlDocuments(text: string, where: string): K8sObject[] {
  const docs = parseAllDocuments(text);
  const out: K8sObject[] = [];
  for (const doc of docs) {
    if (doc.errors.length) throw new Error(`${where}: ${doc.errors.map((e) => e.message).join('; ')}`);
    const value = doc.toJSON();
    if (value !== null && value !== undefined) out.push(value as K8sObject);
  }
  return out;
}

/** `kubectl kustomize <dir>`: the objects an overlay applies. */
export function render(dir: string): K8sObject[] {
  const r = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8', maxBuffer: 16 << 20 });
  if (r.status !== 0) throw new Error(`kubectl kustomize ${dir} failed:\n${r.stderr}`);
  return parseYamlDocuments(r.stdout, dir);
}

/** Every YAML file under `dir`, recursively. */
export function yamlFilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...yamlFilesUnder(path));
    else if (/\.ya?ml$/.test(name)) out.push(path);
  }
  return out.sort();
}

export function readYaml(path: string): K8sObject[] {
  return parseYamlDocuments(readFileSync(path, 'utf8'), path);
}

type Validating = { validate(): void };
const models: Record<string, new (data: any) => Validating> = {
  'v1/Namespace': Namespace,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'batch/v1/Job': Job,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'keda.sh/v1alpha1/ScaledObject': ScaledObject,
};

/** The kinds Kiln's manifests may hold; ServiceMonitor has no model here and is checked by shape. */
export const knownKinds = [...Object.keys(models), 'monitoring.coreos.com/v1/ServiceMonitor'];

/** Validates `obj` against its kind's OpenAPI schema (kubernetes-models, @kubernetes-models/keda); throws with the path of the first problem. */
export function validateObject(obj: K8sObject): void {
  const key = `${obj.apiVersion}/${obj.kind}`;
  if (key === 'monitoring.coreos.com/v1/ServiceMonitor') {
    const spec = obj.spec as { selector?: unknown; endpoints?: Array<{ port?: string }> } | undefined;
    if (!spec?.selector || !spec.endpoints?.length || spec.endpoints.some((e) => typeof e.port !== 'string')) {
      throw new Error(`${obj.metadata.name}: a ServiceMonitor needs a selector and endpoints with named ports`);
    }
    return;
  }
  const Model = models[key];
  if (!Model) throw new Error(`${obj.metadata?.name}: no model for ${key}; known: ${knownKinds.join(', ')}`);
  new Model(obj).validate();
}

/** A Kubernetes CPU quantity in cores ("250m" → 0.25, "2" → 2). */
export function cpuCores(q: string | number): number {
  const s = String(q);
  return s.endsWith('m') ? Number(s.slice(0, -1)) / 1000 : Number(s);
}

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };
const DECIMAL: Record<string, number> = { k: 1e3, M: 1e6, G: 1e9, T: 1e12 };

/** A Kubernetes memory quantity in bytes ("1536Mi", "2Gi", "1G"). */
export function memoryBytes(q: string | number): number {
  const m = /^(\d+(?:\.\d+)?)([KMGT]i|[kMGT])?$/.exec(String(q));
  if (!m) throw new Error(`not a memory quantity: ${q}`);
  const unit = m[2];
  return Number(m[1]) * (unit ? (BINARY[unit] ?? DECIMAL[unit]!) : 1);
}

/** The pod template of a workload (Deployment or Job). */
export function podSpec(obj: K8sObject): any {
  return obj.spec?.template?.spec;
}

/** A container's environment as name → literal value (valueFrom entries map to undefined). */
export function envOf(container: any): Map<string, string | undefined> {
  return new Map((container.env ?? []).map((e: { name: string; value?: string }) => [e.name, e.value]));
}

/** Whether every key/value of `selector` is among `labels`. */
export function selects(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

/** Evaluates a matchLabels + matchExpressions label selector against `labels`. */
export function matchesSelector(
  selector: { matchLabels?: Record<string, string>; matchExpressions?: Array<{ key: string; operator: string; values?: string[] }> },
  labels: Record<string, string> | undefined,
): boolean {
  const l = labels ?? {};
  if (selector.matchLabels && !Object.entries(selector.matchLabels).every(([k, v]) => l[k] === v)) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = e.key in l;
    const inValues = has && (e.values ?? []).includes(l[e.key]!);
    if (e.operator === 'In' && !inValues) return false;
    if (e.operator === 'NotIn' && inValues) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return Boolean(selector.matchLabels || selector.matchExpressions);
}

/** Reads a KEY=value env file (comments and blank lines skipped), as kustomize's envs and kubectl's --from-env-file do. */
export function readEnvFile(path: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const t = line.trim();
    if (!t || t.startsWith('#')) continue;
    const eq = t.indexOf('=');
    out.set(t.slice(0, eq), t.slice(eq + 1));
  }
  return out;
}
