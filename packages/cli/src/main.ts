import { parseArgs } from 'node:util';
import { createClient, KilnApiError, KilnConnectionError } from '@kiln/client';
import type { Command, OptionSpec } from './command.js';
import { datasetCommands } from './commands/datasets.js';
import { jobCommands } from './commands/jobs.js';
import { keyCommands } from './commands/keys.js';
import { webhookCommands } from './commands/webhooks.js';
import { eventCommands } from './commands/events.js';
import { pipelineCommands } from './commands/pipelines.js';
import { quboCommands } from './commands/qubo.js';
import { quboSampleCommands } from './commands/qubo-samples.js';
import { modelFileCommands } from './commands/models.js';
import { recsCommands } from './commands/recs.js';
import { scheduleCommands } from './commands/schedules.js';
import { ssmCommands } from './commands/ssm.js';
import { tuneCommands } from './commands/tunes.js';
import { EXIT, UsageError } from './exit-codes.js';
import { type Io, printJson } from './output.js';

export const commands: Command[] = [
  ...datasetCommands,
  ...ssmCommands,
  ...modelFileCommands,
  ...recsCommands,
  ...quboCommands,
  ...quboSampleCommands,
  ...jobCommands,
  ...pipelineCommands,
  ...tuneCommands,
  ...scheduleCommands,
  ...keyCommands,
  ...webhookCommands,
  ...eventCommands,
];

const globalOptions: Record<string, OptionSpec> = {
  api: { type: 'string', value: 'URL', describe: 'the Kiln API (default $KILN_API_URL, else http://127.0.0.1:8080)' },
  'api-key': { type: 'string', value: 'KEY', describe: 'the API key (default $KILN_API_KEY)' },
  json: { type: 'boolean', describe: 'print the result as JSON on standard output (no progress output)' },
  help: { type: 'boolean', short: 'h', describe: 'show help' },
};

const exitCodesHelp = `Exit codes:
  0    done (a job that was waited for completed)
  1    a job that was waited for failed or was cancelled
  2    wrong command line
  3    the API refused the request (bad input, unknown id, conflict)
  4    the API could not be reached or failed
  130  interrupted while following a job (the job keeps running)`;

function optionLines(options: Record<string, OptionSpec>): string[] {
  return Object.entries(options).map(([name, o]) => {
    const left = `${o.short ? `-${o.short}, ` : '    '}--${name}${o.value ? ` ${o.value}` : ''}`;
    return `  ${left.padEnd(30)} ${o.describe}`;
  });
}

export function usage(): string {
  const groups = new Map<string, Command[]>();
  for (const c of commands) groups.set(c.words[0] as string, [...(groups.get(c.words[0] as string) ?? []), c]);
  const lines = ['Usage: kiln <command> [options]', '', 'Commands:'];
  for (const cs of groups.values()) for (const c of cs) lines.push(`  ${`${c.words.join(' ')}${c.args ? ` ${c.args}` : ''}`.padEnd(26)} ${c.summary}`);
  lines.push('', 'Options for every command:', ...optionLines(globalOptions), '', exitCodesHelp, '', 'kiln <command> --help shows the command’s own options.');
  return `${lines.join('\n')}\n`;
}

export function commandUsage(c: Command): string {
  const lines = [`Usage: kiln ${c.words.join(' ')}${c.args ? ` ${c.args}` : ''} [options]`, '', c.summary + '.'];
  if (c.description) lines.push('', c.description);
  if (c.options && Object.keys(c.options).length) lines.push('', 'Options:', ...optionLines(c.options));
  lines.push('', 'Options for every command:', ...optionLines(globalOptions));
  if (c.examples?.length) lines.push('', 'Examples:', ...c.examples.map((e) => `  ${e}`));
  return `${lines.join('\n')}\n`;
}

/** The command named by the first words of argv; global options may come before it (`kiln --api URL jobs ls`). */
function findCommand(argv: string[]): { command?: Command; rest: string[] } {
  const leading: string[] = [];
  let i = 0;
  while (i < argv.length && (argv[i] as string).startsWith('-')) {
    const a = argv[i] as string;
    leading.push(a);
    i++;
    if ((a === '--api' || a === '--api-key') && i < argv.length) leading.push(argv[i++] as string);
  }
  const words = argv.slice(i);
  for (const c of [...commands].sort((a, b) => b.words.length - a.words.length)) {
    if (c.words.every((w, k) => words[k] === w)) return { command: c, rest: [...leading, ...words.slice(c.words.length)] };
  }
  return { rest: argv };
}

export interface MainOptions {
  io?: Partial<Io>;
  env?: NodeJS.ProcessEnv;
  /** Aborting stops a command that follows a job (Ctrl-C). Default: SIGINT. */
  signal?: AbortSignal;
}

/** Runs one `kiln …` command line and returns its exit code. */
export async function main(argv: string[], options: MainOptions = {}): Promise<number> {
  const env = options.env ?? process.env;
  const io: Io = { out: options.io?.out ?? process.stdout, err: options.io?.err ?? process.stderr, json: argv.includes('--json') };
  const { command, rest } = findCommand(argv);
  if (!command) {
    if (argv.length === 0 || argv.every((a) => a === '--help' || a === '-h' || a === 'help')) {
      io.out.write(usage());
      return argv.length === 0 ? EXIT.usage : EXIT.ok;
    }
    io.err.write(`kiln: unknown command "${argv.filter((a) => !a.startsWith('-')).join(' ')}"\n\n${usage()}`);
    return EXIT.usage;
  }

  let values: Record<string, string | boolean | string[] | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: rest,
      options: { ...globalOptions, ...command.options } as Parameters<typeof parseArgs>[0] extends infer P
        ? NonNullable<P extends { options?: infer O } ? O : never>
        : never,
      allowPositionals: true,
      strict: true,
    }) as { values: Record<string, string | boolean | string[] | undefined>; positionals: string[] });
  } catch (error) {
    io.err.write(`kiln: ${(error as Error).message}\n\n${commandUsage(command)}`);
    return EXIT.usage;
  }
  if (values.help) {
    io.out.write(commandUsage(command));
    return EXIT.ok;
  }
  const want = command.positionals ?? 0;
  if (positionals.length !== want) {
    io.err.write(
      `kiln: ${command.words.join(' ')} takes ${want === 0 ? 'no arguments' : `${want} argument (${command.args})`}, got ${positionals.length}\n\n${commandUsage(command)}`,
    );
    return EXIT.usage;
  }

  const baseUrl = (values.api as string | undefined) ?? env.KILN_API_URL ?? 'http://127.0.0.1:8080';
  const apiKey = (values['api-key'] as string | undefined) ?? env.KILN_API_KEY;
  const client = createClient({ baseUrl, ...(apiKey ? { apiKey } : {}) });
  const controller = new AbortController();
  const onSigint = () => controller.abort(new Error('interrupted'));
  if (!options.signal) process.once('SIGINT', onSigint);
  else options.signal.addEventListener('abort', onSigint, { once: true });
  try {
    return await command.run({ values, positionals, client, io, signal: controller.signal });
  } catch (error) {
    return reportError(error, io, controller.signal);
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}

function reportError(error: unknown, io: Io, signal: AbortSignal): number {
  if (signal.aborted) {
    io.err.write('\nkiln: interrupted; a job being followed keeps running (kiln jobs ls, kiln jobs cancel ID)\n');
    return EXIT.interrupted;
  }
  if (error instanceof UsageError) {
    io.err.write(`kiln: ${error.message}\n`);
    return EXIT.usage;
  }
  if (error instanceof KilnApiError && error.status === 401) {
    if (io.json) printJson(io, { error: { status: 401, code: error.code, message: error.message } });
    io.err.write(
      `kiln: ${error.message} (${error.code})\n  give an API key: --api-key KEY or KILN_API_KEY (npm start prints the first admin key; an admin makes more with \`kiln keys create\`)\n`,
    );
    return EXIT.rejected;
  }
  if (error instanceof KilnApiError) {
    if (io.json) printJson(io, { error: { status: error.status, code: error.code, message: error.message, details: error.details } });
    const items = (error.details as { items?: Array<{ message: string }> } | undefined)?.items ?? [];
    io.err.write(
      `kiln: ${error.message} (${error.code}, HTTP ${error.status})\n${[...error.issues, ...items.map((i) => i.message)].map((i) => `  ${i}\n`).join('')}`,
    );
    return error.status >= 500 ? EXIT.unavailable : EXIT.rejected;
  }
  if (error instanceof KilnConnectionError) {
    if (io.json) printJson(io, { error: { code: 'KILN_CLI_UNREACHABLE', message: error.message } });
    io.err.write(`kiln: ${error.message}\n  is the platform running? start it with \`npm start\`, or point --api / KILN_API_URL at it\n`);
    return EXIT.unavailable;
  }
  const e = error as NodeJS.ErrnoException;
  if (e?.code === 'ENOENT' || e?.code === 'EISDIR' || e?.code === 'EACCES') {
    io.err.write(`kiln: ${e.message}\n`);
    return EXIT.usage;
  }
  io.err.write(`kiln: ${(error as Error)?.stack ?? String(error)}\n`);
  return EXIT.jobFailed;
}
