import type { Schedule, ScheduleRequest } from '@kiln/client';
import { type Command, str } from '../command.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { print, printJson, table } from '../output.js';
import { pageOptions, printMore, readPages } from '../paging.js';
import { readJsonFile } from './pipelines.js';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `500ms`, `30s`, `5m`, `1h`, `1d`, or a number of milliseconds. */
export function durationMs(value: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/.exec(value.trim());
  if (!m) throw new UsageError(`--${flag}: expected a duration such as 500ms, 30s, 5m, 1h, 1d; got "${value}"`);
  return Math.round(Number(m[1]) * (UNITS[m[2] ?? 'ms'] as number));
}

const when = (s: Schedule) => (s.cron ? `cron ${s.cron}${s.tz ? ` (${s.tz})` : ''}` : `every ${s.everyMs} ms`);
const what = (s: Schedule) => {
  const t = s.target as { job?: { kind?: string }; pipeline?: { name?: string; steps?: Array<{ kind?: string }> } };
  return t.job ? `job ${t.job.kind}` : `pipeline ${t.pipeline?.name ?? (t.pipeline?.steps ?? []).map((x) => x.kind).join(' → ')}`;
};

function show(s: Schedule, io: Parameters<typeof print>[0]): void {
  print(io, `schedule ${s.id} (${s.name}): ${s.state}, ${when(s)}, ${what(s)}; next ${s.nextAt ?? '-'}`);
  if (s.firings?.length)
    print(
      io,
      table([
        ['FIRED', 'JOB', 'PIPELINE', 'ERROR'],
        ...s.firings.map((f) => [f.at, f.jobId ?? '-', f.pipelineId ?? '-', f.error ? `${f.error.code}: ${f.error.message}` : '']),
      ]),
    );
}

const byId = (verb: 'pause' | 'resume' | 'show', call: (ctx: Parameters<Command['run']>[0], id: string) => Promise<Schedule>, summary: string): Command => ({
  words: ['schedule', verb],
  args: 'ID',
  positionals: 1,
  summary,
  async run(ctx) {
    const s = await call(ctx, ctx.positionals[0] as string);
    if (ctx.io.json) printJson(ctx.io, s);
    else show(s, ctx.io);
    return EXIT.ok;
  },
});

export const scheduleCommands: Command[] = [
  {
    words: ['schedule', 'create'],
    summary: 'Submit a job or a pipeline on a cron expression or every N',
    description:
      'Each firing submits the target once, however many API processes run. The target is a JSON file: a POST /v1/jobs body (--job) or a POST /v1/pipelines body (--pipeline). Cron expressions have 5 fields (minute first) or 6 (seconds first), in UTC unless --tz names a time zone.',
    options: {
      name: { type: 'string', value: 'NAME', describe: 'what the schedule is for' },
      cron: { type: 'string', value: 'EXPR', describe: "a cron expression, e.g. '0 3 * * *' (03:00 every day)" },
      tz: { type: 'string', value: 'ZONE', describe: 'the time zone of --cron, e.g. Europe/Paris' },
      every: { type: 'string', value: 'DURATION', describe: 'fire every 500ms, 30s, 5m, 1h, 1d …' },
      job: { type: 'string', value: 'FILE', describe: 'a job to submit (a POST /v1/jobs body as JSON; - for standard input)' },
      pipeline: { type: 'string', value: 'FILE', describe: 'a pipeline to create (a POST /v1/pipelines body as JSON)' },
    },
    examples: [
      "kiln schedule create --name nightly --cron '0 3 * * *' --tz Europe/Paris --pipeline nightly.json",
      'kiln schedule create --name poll --every 5m --job solve.json',
    ],
    async run(ctx) {
      const name = str(ctx, 'name');
      if (!name) throw new UsageError('--name is required');
      const cron = str(ctx, 'cron');
      const every = str(ctx, 'every');
      if (!cron === !every) throw new UsageError('give --cron EXPR or --every DURATION');
      const job = str(ctx, 'job');
      const pipeline = str(ctx, 'pipeline');
      if (!job === !pipeline) throw new UsageError('give --job FILE or --pipeline FILE');
      const tz = str(ctx, 'tz');
      const body = {
        name,
        ...(cron ? { cron } : { everyMs: durationMs(every as string, 'every') }),
        ...(tz ? { tz } : {}),
        target: job ? { job: await readJsonFile(job) } : { pipeline: await readJsonFile(pipeline as string) },
      } as ScheduleRequest;
      const s = await ctx.client.createSchedule(body);
      if (ctx.io.json) printJson(ctx.io, s);
      else show(s, ctx.io);
      return EXIT.ok;
    },
  },
  {
    words: ['schedule', 'ls'],
    summary: 'List schedules, newest first',
    options: pageOptions(50),
    async run(ctx) {
      const { items, nextCursor } = await readPages(ctx, ctx.client.listSchedules, {}, 50);
      if (ctx.io.json) printJson(ctx.io, items);
      else
        print(
          ctx.io,
          table([['ID', 'NAME', 'STATE', 'WHEN', 'WHAT', 'NEXT'], ...items.map((s) => [s.id, s.name, s.state, when(s), what(s), s.nextAt ?? '-'])]),
        );
      printMore(ctx, 'schedule ls', nextCursor);
      return EXIT.ok;
    },
  },
  byId('show', (ctx, id) => ctx.client.getSchedule(id), 'A schedule, its next firing and its latest firings (what each created)'),
  byId('pause', (ctx, id) => ctx.client.pauseSchedule(id), 'Stop a schedule firing until it is resumed'),
  byId('resume', (ctx, id) => ctx.client.resumeSchedule(id), 'Fire a paused schedule again'),
  {
    words: ['schedule', 'rm'],
    args: 'ID',
    positionals: 1,
    summary: 'Delete a schedule (the jobs and pipelines it created stay)',
    async run(ctx) {
      const id = ctx.positionals[0] as string;
      await ctx.client.deleteSchedule(id);
      if (ctx.io.json) printJson(ctx.io, { id, deleted: true });
      else print(ctx.io, `schedule ${id} deleted`);
      return EXIT.ok;
    },
  },
];
