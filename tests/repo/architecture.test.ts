import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The import rules of ../shared/ARCHITECTURE.md, checked on the source.
const root = fileURLToPath(new URL('../../', import.meta.url));

const allowed: Record<string, string[]> = {
  'packages/contracts': [],
  'packages/config': [],
  'packages/kernels': [],
  'packages/ssm': ['kernels'],
  'packages/qubo': ['kernels'],
  'packages/db': ['contracts'],
  'packages/queue': ['contracts'],
  // Metrics and traces: prom-client and OpenTelemetry stay here; the harness takes an observer by shape.
  'packages/telemetry': ['contracts'],
  // The client is typed by the API's OpenAPI document (generated types), not by Kiln's packages: it
  // is what a program outside Kiln uses. The CLI is built on it alone.
  'packages/client': [],
  'packages/cli': ['client'],
  'services/api': ['contracts', 'config', 'db', 'queue', 'telemetry', 'ssm', 'qubo', 'kernels'],
  'services/worker-ssm': ['contracts', 'config', 'db', 'queue', 'telemetry', 'ssm', 'qubo', 'kernels'],
  'services/worker-qubo': ['contracts', 'config', 'db', 'queue', 'telemetry', 'ssm', 'qubo', 'kernels'],
  // The dashboard reads the training presets and defaults from @kiln/ssm/config (TensorFlow.js-free: checked below).
  'services/dashboard': ['contracts', 'config', 'db', 'queue', 'ssm'],
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (name === 'node_modules' || name === 'generated') return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : [];
  });
}

const importsOf = (file: string) =>
  [...readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm)].map(
    (m) => (m[1] ?? m[2]) as string,
  );

describe('architecture', () => {
  it('imports only downwards, through package names', () => {
    const problems: string[] = [];
    for (const [folder, deps] of Object.entries(allowed)) {
      for (const file of files(join(root, folder, 'src'))) {
        for (const spec of importsOf(file)) {
          const where = relative(root, file);
          const kiln = /^@kiln\/([a-z-]+)/.exec(spec)?.[1];
          if (kiln && !deps.includes(kiln)) problems.push(`${where} imports @kiln/${kiln}`);
          if (spec.startsWith('.') && !resolve(dirname(file), spec).startsWith(join(root, folder)))
            problems.push(`${where} reaches outside its folder: ${spec}`);
          if (/\/src\//.test(spec) && spec.startsWith('@kiln/')) problems.push(`${where} deep-imports ${spec}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('keeps TensorFlow.js out of the API, the dashboard and @kiln/ssm/data, and compute packages away from Redis, Postgres and HTTP', () => {
    const problems: string[] = [];
    for (const service of ['services/api/src', 'services/dashboard/src']) {
      for (const file of files(join(root, service))) {
        for (const spec of importsOf(file))
          if (spec.startsWith('@tensorflow') || spec === '@kiln/ssm') problems.push(`${relative(root, file)} imports ${spec}`);
      }
    }
    for (const file of files(join(root, 'packages/ssm/src/data'))) {
      for (const spec of importsOf(file))
        if (spec.startsWith('@tensorflow') || (spec.startsWith('.') && !resolve(dirname(file), spec).includes('/src/data/')))
          problems.push(`${relative(root, file)} imports ${spec}`);
    }
    for (const pkg of ['ssm', 'qubo', 'kernels']) {
      for (const file of files(join(root, 'packages', pkg, 'src'))) {
        for (const spec of importsOf(file))
          if (/^(bullmq|ioredis|pg|@prisma|fastify|node:http|node:net)/.test(spec)) problems.push(`${relative(root, file)} imports ${spec}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('has no circular imports between modules', () => {
    const graph = new Map<string, string[]>();
    for (const folder of Object.keys(allowed)) {
      for (const file of files(join(root, folder, 'src'))) {
        graph.set(
          file,
          importsOf(file)
            .filter((s) => s.startsWith('.'))
            .map((s) => resolve(dirname(file), s).replace(/\.js$/, '.ts')),
        );
      }
    }
    const state = new Map<string, 1 | 2>();
    const cycles: string[] = [];
    const visit = (f: string, path: string[]) => {
      if (state.get(f) === 2) return;
      if (state.get(f) === 1) {
        cycles.push([...path.slice(path.indexOf(f)), f].map((p) => relative(root, p)).join(' → '));
        return;
      }
      state.set(f, 1);
      for (const g of graph.get(f) ?? []) visit(g, [...path, f]);
      state.set(f, 2);
    };
    for (const f of graph.keys()) visit(f, []);
    expect(cycles).toEqual([]);
  });
});
