import type { KilnClient } from '@kiln/client';
import type { Io } from './output.js';

export type OptionSpec = { type: 'string' | 'boolean'; short?: string; multiple?: boolean; describe: string; value?: string };

export interface CommandContext {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  client: KilnClient;
  io: Io;
  /** Aborted on Ctrl-C: a command following a job stops following (the job keeps running). */
  signal: AbortSignal;
}

/** One `kiln …` command: its words, usage, options and what it does; returns the exit code. */
export interface Command {
  words: string[];
  args?: string;
  summary: string;
  description?: string;
  options?: Record<string, OptionSpec>;
  /** Positional arguments it needs (named in the usage). */
  positionals?: number;
  examples?: string[];
  run(ctx: CommandContext): Promise<number>;
}

export const str = (ctx: CommandContext, name: string): string | undefined => ctx.values[name] as string | undefined;
export const flag = (ctx: CommandContext, name: string): boolean => ctx.values[name] === true;
export const list = (ctx: CommandContext, name: string): string[] => (ctx.values[name] as string[] | undefined) ?? [];

/** `--callback-url URL` as the submit's `options` (the API checks the URL: a 400 names it). */
export const callbackOptions = (ctx: CommandContext): { options?: { callbackUrl: string } } => {
  const url = str(ctx, 'callback-url');
  return url ? { options: { callbackUrl: url } } : {};
};
