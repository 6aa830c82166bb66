/**
 * Runs docker-compose.yml's services with plain `podman run`, on a network of their own where each
 * container answers to its service's name (so the file's URLs, redis://redis:6379 and
 * http://api:8080, work unchanged). podman-compose 1.0 (Debian's) ignores depends_on conditions,
 * healthchecks and stop_grace_period, which are the parts under test; here they are honoured:
 *
 * - services start in dependency order; `service_healthy` waits until the dependency's own
 *   healthcheck passes (`podman healthcheck run`: there is no systemd to run it on a timer),
 *   `service_completed_successfully` until it exited 0;
 * - `deploy.replicas` containers per service (`<project>-<service>-<n>`, as Compose names them),
 *   `deploy.resources` as --cpus / --memory / --memory-reservation, `stop_grace_period` as
 *   --stop-timeout, `env_file` and `environment`, bind mounts and named volumes;
 * - published ports go to 127.0.0.1 on the ports the caller maps (never the file's 8080/8081).
 *
 * Not applied: `restart` (the caller kills containers on purpose and must see who picks up the
 * work) and variable interpolation (the file has none; `$$` is unescaped as Compose does).
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';
import { containerState, podman, podmanUlimits } from './podman.js';

type DependsOn = Record<string, { condition?: 'service_started' | 'service_healthy' | 'service_completed_successfully' }> | string[];

export interface ComposeService {
  image?: string;
  command?: string[];
  environment?: Record<string, string | number | boolean>;
  env_file?: string | string[];
  healthcheck?: { test?: string | string[]; interval?: string; timeout?: string; retries?: number; start_period?: string; disable?: boolean };
  deploy?: {
    replicas?: number;
    resources?: { limits?: { cpus?: string | number; memory?: string }; reservations?: { cpus?: string | number; memory?: string } };
  };
  stop_grace_period?: string;
  volumes?: string[];
  ports?: string[];
  depends_on?: DependsOn;
  restart?: string;
}

export interface ComposeFile {
  name?: string;
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

export interface ComposeRunOptions {
  /** The compose file. */
  file: string;
  /** Prefix of every container, volume and the network. */
  project: string;
  /** Image substitutions: the file's name → the local image to run. */
  images: Record<string, string>;
  /** env_file substitutions: the file's entry (e.g. `.env`) → the file to read instead. */
  envFiles: Record<string, string>;
  /** Ports to publish on 127.0.0.1: service → container port → host port. */
  publish: Record<string, Record<number, number>>;
  /** Label put on everything started, to find leftovers of an interrupted run. */
  label: string;
  log: (msg: string) => void;
}

export function parseCompose(file: string): ComposeFile {
  return parse(readFileSync(file, 'utf8'), { merge: true }) as ComposeFile;
}

/** Compose durations: `1m30s`, `60s`, `500ms`. */
export function durationSeconds(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const parts = [...value.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)];
  if (!parts.length || parts.map((p) => p[0]).join('') !== value) throw new Error(`not a Compose duration: ${value}`);
  const unit = { h: 3600, m: 60, s: 1, ms: 0.001 } as const;
  return parts.reduce((sum, p) => sum + Number(p[1]) * unit[p[2] as keyof typeof unit], 0);
}

/** `$$` is a literal `$` in Compose; any other `$` would be interpolation, which this runner does not do. */
function unescapeDollars(value: string, where: string): string {
  if (/\$(?!\$)[{A-Za-z_]/.test(value.replaceAll('$$', ''))) throw new Error(`${where}: variable interpolation is not supported by this runner: ${value}`);
  return value.replaceAll('$$', '$');
}

function dependencies(svc: ComposeService): Array<[string, string]> {
  const deps = svc.depends_on ?? {};
  if (Array.isArray(deps)) return deps.map((d) => [d, 'service_started']);
  return Object.entries(deps).map(([d, c]) => [d, c?.condition ?? 'service_started']);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class ComposeRun {
  readonly compose: ComposeFile;
  readonly network: string;
  /** Containers started, in start order. */
  readonly started: string[] = [];
  private readonly root: string;

  constructor(private readonly options: ComposeRunOptions) {
    this.compose = parseCompose(options.file);
    this.root = dirname(resolve(options.file));
    this.network = options.project;
  }

  /** The service's container names, one per replica. */
  containers(service: string): string[] {
    const svc = this.service(service);
    const n = svc.deploy?.replicas ?? 1;
    return Array.from({ length: n }, (_, i) => `${this.options.project}-${service}-${i + 1}`);
  }

  service(name: string): ComposeService {
    const svc = this.compose.services[name];
    if (!svc) throw new Error(`docker-compose.yml has no service ${name}`);
    return svc;
  }

  /** Services in an order where each comes after everything it depends on. */
  startOrder(): string[] {
    const order: string[] = [];
    const visiting = new Set<string>();
    const visit = (name: string) => {
      if (order.includes(name)) return;
      if (visiting.has(name)) throw new Error(`depends_on cycle through ${name}`);
      visiting.add(name);
      for (const [dep] of dependencies(this.service(name))) visit(dep);
      visiting.delete(name);
      order.push(name);
    };
    for (const name of Object.keys(this.compose.services)) visit(name);
    return order;
  }

  /** Removes the project's containers, volumes and network (those of an earlier run, by default). */
  removeLeftovers(why = 'left by an earlier run'): void {
    const ids = podman(['ps', '-a', '-q', '--filter', `label=${this.options.label}`])
      .stdout.split('\n')
      .filter(Boolean);
    if (ids.length) {
      this.options.log(`removing ${ids.length} containers ${why}`);
      podman(['rm', '-f', '-t', '0', ...ids], { allowFail: true });
    }
    const vols = podman(['volume', 'ls', '-q', '--filter', `label=${this.options.label}`])
      .stdout.split('\n')
      .filter(Boolean);
    if (vols.length) podman(['volume', 'rm', '-f', ...vols], { allowFail: true });
    podman(['network', 'rm', '-f', this.network], { allowFail: true });
  }

  /** The `podman run` arguments of one replica (everything after `run`). */
  runArgs(service: string, name: string): string[] {
    const svc = this.service(service);
    const where = `services.${service}`;
    const args = ['-d', '--name', name, ...podmanUlimits, '--label', this.options.label, '--network', this.network, '--network-alias', service];
    for (const entry of typeof svc.env_file === 'string' ? [svc.env_file] : (svc.env_file ?? [])) {
      args.push('--env-file', this.options.envFiles[entry] ?? resolve(this.root, entry));
    }
    for (const [k, v] of Object.entries(svc.environment ?? {})) args.push('-e', `${k}=${unescapeDollars(String(v), `${where}.environment.${k}`)}`);
    const hc = svc.healthcheck;
    if (hc?.disable) args.push('--no-healthcheck');
    else if (hc?.test) {
      const test = typeof hc.test === 'string' ? ['CMD-SHELL', hc.test] : hc.test.map((t) => unescapeDollars(t, `${where}.healthcheck`));
      const [kind, ...rest] = test;
      // podman: a JSON array runs as exec form, a plain string with /bin/sh -c.
      if (kind === 'CMD') args.push('--health-cmd', JSON.stringify(rest));
      else if (kind === 'CMD-SHELL') args.push('--health-cmd', rest.join(' '));
      else throw new Error(`${where}.healthcheck.test: ${kind}`);
      if (hc.interval) args.push('--health-interval', hc.interval);
      if (hc.timeout) args.push('--health-timeout', hc.timeout);
      if (hc.retries !== undefined) args.push('--health-retries', String(hc.retries));
      if (hc.start_period) args.push('--health-start-period', hc.start_period);
    }
    const limits = svc.deploy?.resources?.limits;
    const reservations = svc.deploy?.resources?.reservations;
    if (limits?.cpus !== undefined) args.push('--cpus', String(limits.cpus));
    if (limits?.memory) args.push('--memory', limits.memory);
    if (reservations?.memory) args.push('--memory-reservation', reservations.memory);
    args.push('--stop-timeout', String(Math.ceil(durationSeconds(svc.stop_grace_period, 10))));
    for (const v of svc.volumes ?? []) {
      const [src = '', ...rest] = v.split(':');
      const isBind = src.startsWith('.') || src.startsWith('/');
      args.push('-v', [isBind ? resolve(this.root, src) : `${this.options.project}-${src}`, ...rest].join(':'));
    }
    for (const [containerPort, hostPort] of Object.entries(this.options.publish[service] ?? {})) args.push('-p', `127.0.0.1:${hostPort}:${containerPort}`);
    const image = svc.image ?? '';
    args.push(this.options.images[image] ?? image);
    for (const part of svc.command ?? []) args.push(unescapeDollars(part, `${where}.command`));
    return args;
  }

  /** Starts one service's replicas (its dependencies must be satisfied). */
  start(service: string): void {
    for (const v of this.service(service).volumes ?? []) {
      const src = v.split(':')[0] ?? '';
      if (src.startsWith('.') || src.startsWith('/')) continue;
      const name = `${this.options.project}-${src}`;
      if (podman(['volume', 'exists', name], { allowFail: true }).status !== 0) podman(['volume', 'create', '--label', this.options.label, name]);
    }
    for (const name of this.containers(service)) {
      podman(['run', ...this.runArgs(service, name)]);
      this.started.push(name);
    }
  }

  /** Waits until the container's healthcheck passes; throws when it stops or the deadline passes. */
  async waitHealthy(name: string, deadline: number): Promise<void> {
    for (;;) {
      const state = containerState(name);
      if (state?.status !== 'running')
        throw new Error(`${name} is ${state ? `${state.status} (exit ${state.exitCode})` : 'gone'} while waiting for it to be healthy`);
      if (podman(['healthcheck', 'run', name], { allowFail: true, timeoutMs: 60_000 }).status === 0) return;
      if (Date.now() > deadline) throw new Error(`${name} is still unhealthy at the deadline`);
      await sleep(1000);
    }
  }

  /** Waits until the container exited; throws unless it exited 0. */
  async waitCompleted(name: string, deadline: number): Promise<void> {
    for (;;) {
      const state = containerState(name);
      if (!state) throw new Error(`${name} is gone`);
      if (state.status === 'exited' || state.status === 'stopped') {
        if (state.exitCode !== 0) throw new Error(`${name} exited with ${state.exitCode}`);
        return;
      }
      if (Date.now() > deadline) throw new Error(`${name} has not finished at the deadline`);
      await sleep(500);
    }
  }

  /**
   * Starts every service in dependency order, each once its depends_on conditions hold, then
   * waits until every long-running container's healthcheck passes. Returns seconds per service
   * from the start of `up` until it was first seen healthy (or completed).
   */
  async up(deadline: number): Promise<Record<string, number>> {
    const t0 = Date.now();
    const ready: Record<string, number> = {};
    podman(['network', 'create', '--label', this.options.label, this.network]);
    const waitFor = async (service: string, condition: string) => {
      for (const name of this.containers(service)) {
        if (condition === 'service_healthy') await this.waitHealthy(name, deadline);
        else if (condition === 'service_completed_successfully') await this.waitCompleted(name, deadline);
      }
      ready[service] ??= Math.round((Date.now() - t0) / 100) / 10;
    };
    for (const service of this.startOrder()) {
      for (const [dep, condition] of dependencies(this.service(service))) await waitFor(dep, condition);
      this.options.log(`starting ${this.containers(service).join(', ')}`);
      this.start(service);
    }
    for (const service of this.startOrder()) {
      const svc = this.service(service);
      const oneShot = svc.restart === 'no' && svc.healthcheck?.disable;
      await waitFor(service, oneShot ? 'service_completed_successfully' : svc.healthcheck?.disable ? 'service_started' : 'service_healthy');
    }
    return ready;
  }

  logs(name: string, tail = 200): string {
    const r = podman(['logs', '--tail', String(tail), name], { allowFail: true });
    return `${r.stdout}${r.stderr}`;
  }

  /**
   * Stops every running container with SIGTERM and its stop_grace_period (reverse start order),
   * returns each one's exit code, then removes containers, volumes and the network.
   */
  down(): Record<string, number> {
    const exits: Record<string, number> = {};
    for (const name of [...this.started].reverse()) {
      const before = containerState(name);
      if (before?.status === 'running') podman(['stop', name], { allowFail: true });
      const after = containerState(name);
      if (after) exits[name] = after.exitCode;
    }
    this.removeLeftovers('of this run, their volumes and network');
    return exits;
  }
}
