import type { ChildProcess } from 'node:child_process';

export interface SupervisedService {
  name: string;
  command: string;
  args: string[];
}

export interface SuperviseOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  out?: NodeJS.WritableStream;
  err?: NodeJS.WritableStream;
  say?: (message: string) => void;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  stableMs?: number;
}

export function supervise(
  services: SupervisedService[],
  options?: SuperviseOptions,
): { stop(): Promise<void>; children: Map<string, ChildProcess>; restarts: Map<string, number> };
