import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string) => readFileSync(`${root}${path}`, 'utf8');

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string>;
  env_file?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test?: string[]; disable?: boolean; interval?: string; timeout?: string; retries?: number };
  deploy?: { replicas?: number; resources?: { limits?: { cpus?: string; memory?: string }; reservations?: { memory?: string } } };
  stop_grace_period?: string;
  restart?: string;
  ports?: string[];
  volumes?: string[];
  container_name?: string;
}

// Docker cannot run here: the compose file is parsed and checked against the repo. It is run for
// real, with podman, by `npm run test:containers` (tests/containers/run.ts).
const composeText = read('docker-compose.yml');
const compose = parse(composeText, { merge: true }) as { services: Record<string, Service> };
const services = compose.services;
const kilnServices = ['migrate', 'api', 'worker-ssm', 'worker-qubo', 'dashboard'];
const longRunning = Object.keys(services).filter((s) => s !== 'migrate');
const workers = ['worker-ssm', 'worker-qubo'];

/** Compose sizes (`2g`, `512m`) in MiB. */
function mib(size: string | undefined): number {
  const m = /^(\d+(?:\.\d+)?)([kmg])b?$/i.exec(size ?? '');
  if (!m) throw new Error(`not a size: ${size}`);
  return Number(m[1]) * { k: 1 / 1024, m: 1, g: 1024 }[m[2]!.toLowerCase() as 'k' | 'm' | 'g'];
}

/** Compose durations (`60s`, `1m30s`) in seconds. */
function seconds(d: string | undefined): number {
  return [...(d ?? '').matchAll(/(\d+)(h|m|s)/g)].reduce((s, p) => s + Number(p[1]) * { h: 3600, m: 60, s: 1 }[p[2] as 'h' | 'm' | 's'], 0);
}

/** Variables in an env file (KEY=VALUE lines). */
function envFile(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split('\n')
      .filter((l) => /^[A-Z_][A-Z0-9_]*=/.test(l))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}

describe('docker-compose.yml', () => {
  it('brings up Redis (noeviction, AOF), Postgres, migrations, the API, both workers and the dashboard', () => {
    expect(Object.keys(services).sort()).toEqual(['api', 'dashboard', 'migrate', 'postgres', 'redis', 'worker-qubo', 'worker-ssm']);
    const conf = read('infra/redis.conf');
    expect(conf).toMatch(/^maxmemory-policy noeviction$/m);
    expect(conf).toMatch(/^appendonly yes$/m);
    expect(services.redis?.command?.slice(0, 2)).toEqual(['redis-server', '/usr/local/etc/redis/redis.conf']);
    expect(services.redis?.volumes).toContain('./infra/redis.conf:/usr/local/etc/redis/redis.conf:ro');
    // A full Redis must refuse writes (noeviction), not be killed by its container's limit first.
    const maxmemory = services.redis?.command?.[services.redis.command.indexOf('--maxmemory') + 1];
    expect(mib(maxmemory)).toBeLessThan(mib(services.redis?.deploy?.resources?.limits?.memory));
  });

  it("runs commands whose files exist in the repo, built from the repo's Dockerfile", () => {
    for (const name of kilnServices) {
      const svc = services[name]!;
      expect(svc.build?.dockerfile, name).toBe('infra/Dockerfile');
      const entry = svc.command?.at(-1);
      expect(svc.command?.slice(0, 3), name).toEqual(['node', '--import', 'tsx']);
      expect(entry, name).toMatch(/\.ts$/);
      expect(existsSync(`${root}${entry}`), `${name}: ${entry}`).toBe(true);
      if (name !== 'migrate') expect(svc.environment?.REDIS_URL, name).toBe('redis://redis:6379');
    }
  });

  it('sets only variables its services read', () => {
    // Read by Node, libuv or OpenMP rather than by a service's env.ts.
    const runtime = ['NODE_ENV', 'UV_THREADPOOL_SIZE', 'OMP_NUM_THREADS'];
    for (const name of ['api', 'worker-ssm', 'worker-qubo', 'dashboard']) {
      const envTs = read(`services/${name}/src/env.ts`);
      for (const key of Object.keys(services[name]?.environment ?? {})) {
        if (runtime.includes(key)) continue;
        expect(envTs, `${name} sets ${key}, which services/${name}/src/env.ts does not read`).toMatch(new RegExp(`\\b${key}\\b`));
      }
    }
  });

  it('gives every long-running service a healthcheck, on the port the service listens to', () => {
    for (const name of longRunning) {
      const hc = services[name]?.healthcheck;
      expect(hc?.disable, name).not.toBe(true);
      expect(hc?.test?.[0], name).toMatch(/^CMD(-SHELL)?$/);
    }
    const ports: Record<string, string | undefined> = {
      api: services.api?.environment?.PORT,
      dashboard: services.dashboard?.environment?.DASHBOARD_PORT,
      'worker-ssm': services['worker-ssm']?.environment?.KILN_METRICS_PORT,
      'worker-qubo': services['worker-qubo']?.environment?.KILN_METRICS_PORT,
    };
    for (const [name, port] of Object.entries(ports)) {
      expect(port, name).toMatch(/^[1-9]\d*$/);
      // No curl in the slim image: Node's fetch against the service's own /healthz.
      const [cmd, node, flag, script] = services[name]?.healthcheck?.test ?? [];
      expect([cmd, node, flag], name).toEqual(['CMD', 'node', '-e']);
      expect(script, name).toContain(`fetch('http://127.0.0.1:${port}/healthz')`);
    }
    expect(services.redis?.healthcheck?.test).toEqual(['CMD', 'redis-cli', 'ping']);
    expect(services.postgres?.healthcheck?.test?.join(' ')).toMatch(/pg_isready/);
    // The one-shot migration has no server to probe (the image's own check is the API's).
    expect(services.migrate?.healthcheck?.disable).toBe(true);
  });

  it('limits and reserves resources: worker-ssm about 2 GB, every other service less', () => {
    for (const name of Object.keys(services)) {
      const res = services[name]?.deploy?.resources;
      expect(Number(res?.limits?.cpus), name).toBeGreaterThan(0);
      expect(mib(res?.limits?.memory), name).toBeGreaterThan(0);
      if (name !== 'migrate') expect(mib(res?.reservations?.memory), name).toBeLessThanOrEqual(mib(res?.limits?.memory));
    }
    const ssm = services['worker-ssm']!;
    const ssmLimit = mib(ssm.deploy?.resources?.limits?.memory);
    expect(ssmLimit).toBeGreaterThanOrEqual(1536);
    expect(ssmLimit).toBeLessThanOrEqual(4096);
    for (const name of Object.keys(services))
      if (name !== 'worker-ssm') expect(mib(services[name]?.deploy?.resources?.limits?.memory), name).toBeLessThan(ssmLimit);
    // A training job is refused above KILN_SSM_MEMORY_MB (API and worker): it must fit the container.
    const budget = Number(ssm.environment?.KILN_SSM_MEMORY_MB);
    expect(budget).toBeGreaterThan(0);
    expect(budget).toBeLessThan(ssmLimit);
    expect(services.api?.environment?.KILN_SSM_MEMORY_MB).toBe(ssm.environment?.KILN_SSM_MEMORY_MB);
  });

  it('runs two replicas of each worker, with time to hand running jobs back on SIGTERM', () => {
    for (const name of workers) {
      const svc = services[name]!;
      expect(svc.deploy?.replicas, name).toBe(2);
      expect(seconds(svc.stop_grace_period), name).toBeGreaterThanOrEqual(60);
      // Replicas cannot share a fixed name or a host port.
      expect(svc.container_name, name).toBeUndefined();
      expect(svc.ports, name).toBeUndefined();
    }
  });

  it('migrates once, before every service that uses the database', () => {
    const migrate = services.migrate!;
    expect(migrate.command?.at(-1)).toBe('scripts/migrate.ts');
    expect(migrate.restart).toBe('no');
    expect(migrate.depends_on?.postgres?.condition).toBe('service_healthy');
    for (const name of ['api', ...workers]) {
      expect(services[name]?.depends_on?.migrate?.condition, name).toBe('service_completed_successfully');
      expect(services[name]?.depends_on?.redis?.condition, name).toBe('service_healthy');
    }
    expect(services.dashboard?.depends_on?.api?.condition).toBe('service_healthy');
  });

  it('keeps secrets out of the file: they come from the env file, whose example documents them', () => {
    const secretKeys = ['POSTGRES_PASSWORD', 'KILN_BOOTSTRAP_ADMIN_KEY', 'DATABASE_URL'];
    for (const [name, svc] of Object.entries(services)) {
      for (const key of secretKeys) expect(svc.environment?.[key], `${name}: ${key}`).toBeUndefined();
    }
    expect(composeText).not.toMatch(/[a-z]+:\/\/[^\s/:@]+:[^\s/@]+@/i);
    expect(composeText).not.toMatch(/PASSWORD\s*[:=]/);
    for (const name of ['postgres', ...kilnServices.filter((s) => s !== 'dashboard')]) expect(services[name]?.env_file, name).toEqual(['.env']);
    expect(read('.gitignore').split('\n')).toContain('.env');

    const example = envFile(read('infra/compose/kiln.env.example'));
    expect(Object.keys(example).sort()).toEqual(['DATABASE_URL', 'KILN_BOOTSTRAP_ADMIN_KEY', 'POSTGRES_DB', 'POSTGRES_PASSWORD', 'POSTGRES_USER']);
    const url = new URL(example.DATABASE_URL!);
    expect(url.hostname).toBe('postgres');
    expect(url.username).toBe(example.POSTGRES_USER);
    expect(url.password).toBe(example.POSTGRES_PASSWORD);
    expect(url.pathname).toBe(`/${example.POSTGRES_DB}`);
    // Placeholders, not usable values: the API refuses an admin key under 32 characters.
    expect(example.POSTGRES_PASSWORD).toBe('CHANGE_ME');
    expect(example.KILN_BOOTSTRAP_ADMIN_KEY).toBe('CHANGE_ME');
  });
});

describe('infra/Dockerfile', () => {
  const dockerfile = read('infra/Dockerfile');
  const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM ') + 1);
  const instructions = dockerfile
    .split('\n')
    .filter((l) => !l.startsWith('#'))
    .join('\n');

  it('builds in stages on a Node 22 base given as an argument, and runs as an unprivileged user', () => {
    expect(dockerfile).toMatch(/^ARG BASE=node:22-bookworm-slim$/m);
    expect(dockerfile.match(/^FROM /gm)?.length).toBeGreaterThan(1);
    expect(runtime).toMatch(/^FROM \$\{BASE\}/);
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/^ENV NODE_ENV=production$/m);
    expect(runtime).toMatch(/^STOPSIGNAL SIGTERM$/m);
    expect(runtime).toMatch(/^HEALTHCHECK .*\n?.*fetch\(/m);
    expect(runtime).toMatch(/^CMD \["node", "--import", "tsx", "services\/api\/src\/main\.ts"\]$/m);
    // The native addon is built, not optional, and the dev dependencies are pruned.
    expect(dockerfile).toContain('node packages/kernels/scripts/build.mjs');
    expect(dockerfile).toContain('test -f packages/kernels/build/Release/kiln_native.node');
    expect(dockerfile).toMatch(/npm prune --omit=dev/);
  });

  it('holds nothing specific to one machine', () => {
    expect(instructions).not.toMatch(/\/etc\/ssl|proxy|ca-certificates|registry|npmrc/i);
    // The CA hook is an argument without a value.
    expect(dockerfile).toMatch(/^ARG NODE_EXTRA_CA_CERTS$/m);
  });

  it('has a .dockerignore that keeps host builds and state out of the context', () => {
    const ignore = read('.dockerignore').split('\n');
    for (const entry of ['**/node_modules', '.git', '.kiln', 'packages/kernels/build', 'packages/db/src/generated', '**/.env'])
      expect(ignore, entry).toContain(entry);
  });
});
