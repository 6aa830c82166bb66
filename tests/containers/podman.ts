/**
 * podman as this kind of machine needs it (/work/shared/ENVIRONMENT.md, "Containers"): the runc
 * runtime and cgroupfs as global flags, and file/process limits under the machine's hard limit on
 * every `build` and `run`. Everything here is synchronous: a call returns when podman has.
 */
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';

export const podmanGlobalFlags = ['--runtime', 'runc', '--cgroup-manager', 'cgroupfs'];
export const podmanUlimits = ['--ulimit', 'nofile=20000:20000', '--ulimit', 'nproc=4096:4096'];

export interface PodmanResult {
  status: number;
  stdout: string;
  stderr: string;
}

export interface PodmanOptions {
  /** Return a failure instead of throwing. */
  allowFail?: boolean;
  /** Where podman's output goes: captured (default) or the terminal's. */
  stdio?: 'pipe' | 'inherit';
  timeoutMs?: number;
}

export class PodmanError extends Error {
  override readonly name = 'PodmanError';
  constructor(
    readonly args: string[],
    readonly result: PodmanResult,
  ) {
    super(`podman ${args.join(' ').slice(0, 300)} exited with ${result.status}: ${(result.stderr || result.stdout).trim().split('\n').slice(-5).join('\n')}`);
  }
}

/** Runs `podman <global flags> <args>`; throws PodmanError on a non-zero exit unless allowFail. */
export function podman(args: string[], options: PodmanOptions = {}): PodmanResult {
  const res: SpawnSyncReturns<string> = spawnSync('podman', [...podmanGlobalFlags, ...args], {
    encoding: 'utf8',
    stdio: options.stdio === 'inherit' ? ['ignore', 'inherit', 'inherit'] : ['ignore', 'pipe', 'pipe'],
    maxBuffer: 256 * 1024 * 1024,
    ...(options.timeoutMs ? { timeout: options.timeoutMs } : {}),
  });
  if (res.error) throw res.error;
  const result = { status: res.status ?? -1, stdout: res.stdout ?? '', stderr: res.stderr ?? '' };
  if (result.status !== 0 && !options.allowFail) throw new PodmanError(args, result);
  return result;
}

/** Whether an image of that name or id is in podman's storage. */
export function imageExists(ref: string): boolean {
  return podman(['image', 'exists', ref], { allowFail: true }).status === 0;
}

/** An image's full id, or undefined when it is absent. */
export function imageId(ref: string): string | undefined {
  const r = podman(['image', 'inspect', '--format', '{{.Id}}', ref], { allowFail: true });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** A container's state: running, exited, …; undefined when there is no such container. */
export function containerState(name: string): { status: string; exitCode: number } | undefined {
  const r = podman(['container', 'inspect', '--format', '{{.State.Status}} {{.State.ExitCode}}', name], { allowFail: true });
  if (r.status !== 0) return undefined;
  const [status, code] = r.stdout.trim().split(' ');
  return { status: status ?? 'unknown', exitCode: Number(code) };
}
