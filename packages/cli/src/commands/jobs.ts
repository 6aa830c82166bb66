import { readFile } from 'node:fs/promises';
import type { BatchItem, Job, JobKind, JobState } from '@kiln/client';
import { type Command, str } from '../command.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { follow, outcome } from '../follow.js';
import { print, printJson, table } from '../output.js';
import { numberOf, oneOf } from '../parse.js';

const KINDS = ['ssm.train', 'ssm.score', 'ssm.prime', 'qubo.solve'] as const satisfies readonly JobKind[];
const STATES = ['waiting', 'delayed', 'active', 'completed', 'failed', 'cancelled'] as const satisfies readonly JobState[];

/** A job's progress or result in a few words. */
function brief(job: Job): string {
  if (job.state === 'failed' || job.state === 'cancelled') return job.error ? `${job.error.code}: ${job.error.message}` : '';
  if (job.kind === 'ssm.train') {
    if (job.result) return `model ${job.result.modelId}, test NDCG@10 ${job.result.test['ndcg@10']?.toFixed(4)}`;
    return job.progress ? `epoch ${job.progress.epoch}/${job.progress.maxEpochs}` : '';
  }
  if (job.kind === 'ssm.score') {
    if (job.result) return `${job.result.users} users, top ${job.result.k}`;
    return job.progress ? `${job.progress.done}/${job.progress.total} users` : '';
  }
  if (job.kind === 'ssm.prime') {
    if (job.result) return `${job.result.users} users' online states`;
    return job.progress ? `${job.progress.done}/${job.progress.total} users` : '';
  }
  if (job.result) return `value ${job.result.value}, energy ${job.result.energy}, mode ${job.result.mode}`;
  return job.progress ? `best energy ${job.progress.bestEnergy}` : '';
}

/** A file of jobs: a JSON array, or one JSON object per line (JSONL). */
async function readJobs(file: string): Promise<BatchItem[]> {
  const text = (await readFile(file, 'utf8')).trim();
  let items: unknown;
  try {
    items = text.startsWith('[')
      ? JSON.parse(text)
      : text
          .split('\n')
          .filter((l) => l.trim())
          .map((l) => JSON.parse(l));
  } catch (error) {
    throw new UsageError(`${file}: not a JSON array or JSON lines: ${(error as Error).message}`);
  }
  if (!Array.isArray(items) || items.length === 0) throw new UsageError(`${file}: no jobs`);
  return items as BatchItem[];
}

export const jobCommands: Command[] = [
  {
    words: ['jobs', 'submit'],
    args: 'FILE',
    positionals: 1,
    summary: 'Queue many jobs from a file (JSON array or JSON lines), 1,000 per request',
    description:
      'Each job is { "kind", "payload", "options"?, "idempotencyKey"? } as in POST /v1/jobs. Every request of up to 1,000 jobs is all or nothing: a refused item refuses its request (nothing of it is queued; the items are listed) and stops the command. With idempotency keys, running it again after a failure queues only what is missing.',
    options: { 'batch-size': { type: 'string', value: 'N', describe: 'jobs per request (default 1000)' } },
    examples: ['kiln jobs submit solves.jsonl --json > submitted.json'],
    async run(ctx) {
      const jobs = await readJobs(ctx.positionals[0] as string);
      const size = numberOf(str(ctx, 'batch-size'), 'batch-size', { int: true, min: 1, max: 1000 }) ?? 1000;
      const items: Array<{ id: string; kind: string; state: string; replayed: boolean }> = [];
      for (let i = 0; i < jobs.length; i += size) {
        const r = await ctx.client.submitMany(jobs.slice(i, i + size));
        items.push(...r.items);
        if (!ctx.io.json) ctx.io.err.write(`submitted ${Math.min(i + size, jobs.length)}/${jobs.length}\n`);
      }
      if (ctx.io.json) printJson(ctx.io, { items });
      else
        print(
          ctx.io,
          `${items.length} jobs: ${items.filter((i) => !i.replayed).length} queued, ${items.filter((i) => i.replayed).length} already queued under their keys`,
        );
      return EXIT.ok;
    },
  },
  {
    words: ['jobs', 'ls'],
    summary: 'List jobs, newest first',
    options: {
      kind: { type: 'string', value: 'KIND', describe: KINDS.join(', ') },
      state: { type: 'string', value: 'STATE', describe: STATES.join(', ') },
      limit: { type: 'string', value: 'N', describe: 'how many (default 20, at most 500)' },
      cursor: { type: 'string', value: 'C', describe: 'the next page (printed under a full page)' },
    },
    async run(ctx) {
      const kind = oneOf(str(ctx, 'kind'), 'kind', KINDS);
      const state = oneOf(str(ctx, 'state'), 'state', STATES);
      const limit = numberOf(str(ctx, 'limit'), 'limit', { int: true, min: 1, max: 500 }) ?? 20;
      const cursor = str(ctx, 'cursor');
      const page = await ctx.client.listJobs({ limit, ...(kind ? { kind } : {}), ...(state ? { state } : {}), ...(cursor ? { cursor } : {}) });
      if (ctx.io.json) printJson(ctx.io, page);
      else {
        print(ctx.io, table([['ID', 'KIND', 'STATE', 'CREATED', ''], ...page.items.map((j) => [j.id, j.kind, j.state, j.createdAt, brief(j)])]));
        if (page.nextCursor)
          print(ctx.io, `more: kiln jobs ls${kind ? ` --kind ${kind}` : ''}${state ? ` --state ${state}` : ''} --limit ${limit} --cursor ${page.nextCursor}`);
      }
      return EXIT.ok;
    },
  },
  {
    words: ['jobs', 'rm'],
    args: 'ID',
    positionals: 1,
    summary: 'Delete a finished job with its results',
    description:
      'Only a completed, failed or cancelled job (exit 3, KILN_ERR_CONFLICT otherwise: kiln jobs cancel first). Its recommendations, solution and training run go with it; a model it trained stays.',
    async run(ctx) {
      const id = ctx.positionals[0] as string;
      await ctx.client.deleteJob(id);
      if (ctx.io.json) printJson(ctx.io, { id, deleted: true });
      else print(ctx.io, `job ${id} deleted`);
      return EXIT.ok;
    },
  },
  {
    words: ['jobs', 'get'],
    args: 'ID',
    positionals: 1,
    summary: 'A job: state, progress, payload, result or error',
    async run(ctx) {
      const job = await ctx.client.getJob(ctx.positionals[0] as string);
      if (ctx.io.json) printJson(ctx.io, job);
      else {
        print(ctx.io, `${job.id}  ${job.kind}  ${job.state}  (attempts ${job.attempts}, created ${job.createdAt})`);
        const b = brief(job);
        if (b) print(ctx.io, `  ${b}`);
        print(ctx.io, `  payload: ${JSON.stringify(job.payload)}`);
        if (job.result) print(ctx.io, `  result: ${JSON.stringify(job.result)}`);
      }
      return EXIT.ok;
    },
  },
  {
    words: ['jobs', 'watch'],
    args: 'ID',
    positionals: 1,
    summary: 'Follow a job until it ends (exit 0 if it completed, 1 if not)',
    async run(ctx) {
      const job = await follow(ctx.client, ctx.positionals[0] as string, ctx.io, ctx.signal);
      if (ctx.io.json) printJson(ctx.io, job);
      else if (job.state === 'completed') print(ctx.io, `${job.kind} ${job.id} completed: ${brief(job)}`);
      return outcome(job, ctx.io);
    },
  },
  {
    words: ['jobs', 'cancel'],
    args: 'ID',
    positionals: 1,
    summary: 'Cancel a job (a waiting one is removed, a running one stops)',
    async run(ctx) {
      const r = await ctx.client.cancelJob(ctx.positionals[0] as string);
      if (ctx.io.json) printJson(ctx.io, r);
      else print(ctx.io, `${r.id}: ${r.state}${r.cancelRequested ? ' (stopping)' : ''}`);
      return EXIT.ok;
    },
  },
  {
    words: ['jobs', 'retry'],
    args: 'ID',
    positionals: 1,
    summary: 'Run a failed or cancelled job again',
    async run(ctx) {
      const r = await ctx.client.retryJob(ctx.positionals[0] as string);
      if (ctx.io.json) printJson(ctx.io, r);
      else print(ctx.io, `${r.id}: ${r.state}`);
      return EXIT.ok;
    },
  },
  {
    words: ['queues', 'ls'],
    summary: 'The queues with their job counts',
    async run(ctx) {
      const items = await ctx.client.listQueues();
      if (ctx.io.json) printJson(ctx.io, items);
      else
        print(
          ctx.io,
          table([
            ['QUEUE', 'KIND', 'PAUSED', 'WAITING', 'ACTIVE', 'DELAYED', 'COMPLETED', 'FAILED'],
            ...items.map((q) => [
              q.name,
              q.kind,
              q.paused ? 'yes' : 'no',
              ...[q.counts.waiting + q.counts.prioritized, q.counts.active, q.counts.delayed, q.counts.completed, q.counts.failed].map(String),
            ]),
          ]),
        );
      return EXIT.ok;
    },
  },
  ...(['pause', 'resume'] as const).map(
    (action): Command => ({
      words: ['queues', action],
      args: 'NAME',
      positionals: 1,
      summary: action === 'pause' ? 'Pause a queue (workers stop taking its jobs)' : 'Resume a paused queue',
      async run(ctx) {
        const name = ctx.positionals[0] as string;
        const r = action === 'pause' ? await ctx.client.pauseQueue(name) : await ctx.client.resumeQueue(name);
        if (ctx.io.json) printJson(ctx.io, r);
        else print(ctx.io, `${r.name}: ${r.paused ? 'paused' : 'running'}`);
        return EXIT.ok;
      },
    }),
  ),
];
