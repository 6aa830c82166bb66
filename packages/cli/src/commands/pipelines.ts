import { readFile } from 'node:fs/promises';
import type { Pipeline, PipelineRequest, PipelineState } from '@kiln/client';
import { type Command, list, str } from '../command.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { note, print, printJson, table } from '../output.js';
import { pageOptions, printMore, readPages } from '../paging.js';
import { keyValue, numberOf, oneOf } from '../parse.js';

const STATES = ['pending', 'running', 'completed', 'failed', 'cancelled'] as const satisfies readonly PipelineState[];

/** A JSON file (or `-` for standard input) holding a request body. */
export async function readJsonFile(file: string): Promise<unknown> {
  const text = file === '-' ? await new Response(process.stdin as unknown as ReadableStream).text() : await readFile(file, 'utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${file}: not JSON: ${(error as Error).message}`);
  }
}

/** One line per step: index, kind, state, job. */
function stepsTable(p: Pipeline): string {
  return table([
    ['STEP', 'KIND', 'STATE', 'JOB', 'ERROR'],
    ...p.steps.map((s) => [String(s.index), s.kind, s.state, s.jobId ?? '-', s.error ? `${s.error.code}: ${s.error.message}` : '']),
  ]);
}

function show(p: Pipeline, ctx: { io: Parameters<typeof print>[0] }): void {
  print(ctx.io, `pipeline ${p.id}${p.name ? ` (${p.name})` : ''}: ${p.state}${p.error ? ` — ${p.error.code}: ${p.error.message}` : ''}`);
  print(ctx.io, stepsTable(p));
}

/** `--set model.hiddenSize=16 --set training.maxEpochs=2` into the train payload. */
function trainPayload(datasetId: string, sets: string[], name: string | undefined): Record<string, unknown> {
  const payload: Record<string, unknown> = { datasetId, ...(name ? { name } : {}) };
  for (const pair of sets) {
    const [key, value] = keyValue(pair, 'set');
    const [group, field] = key.split('.', 2);
    if ((group !== 'model' && group !== 'training') || !field) throw new UsageError(`--set ${key}: expected model.<setting> or training.<setting>`);
    payload[group] = { ...((payload[group] as object | undefined) ?? {}), [field]: value };
  }
  return payload;
}

export const pipelineCommands: Command[] = [
  {
    words: ['pipeline', 'create'],
    summary: 'Train on a dataset, then score with the new model (or run a pipeline from a file)',
    description:
      'With --dataset: an ssm.train step, then an ssm.score step that scores with the model the training produced. With --file: a POST /v1/pipelines body, { "name"?, "steps": [{ "kind", "payload", "options"? }, …] }. A step that fails or is cancelled fails or cancels the steps after it. With --watch, follows it until it ends (exit 0 when it completed, 1 otherwise).',
    options: {
      dataset: { type: 'string', value: 'ID', describe: 'train on this dataset, then score' },
      set: { type: 'string', multiple: true, value: 'KEY=VALUE', describe: 'a training setting, e.g. --set training.maxEpochs=20 --set model.hiddenSize=64' },
      k: { type: 'string', value: 'N', describe: 'items per user when scoring (default 10)' },
      users: { type: 'string', value: 'IDS', describe: "users to score: 'all' (default) or a comma-separated list" },
      file: { type: 'string', value: 'FILE', describe: 'a pipeline body as JSON (- for standard input)' },
      name: { type: 'string', value: 'NAME', describe: 'a label for the pipeline (and the model name with --dataset)' },
      watch: { type: 'boolean', short: 'w', describe: 'follow the pipeline until it ends' },
      'idempotency-key': { type: 'string', value: 'KEY', describe: 'create at most once under this key' },
    },
    examples: ['kiln pipeline create --dataset 3f2a… --set training.maxEpochs=20 --k 10 --watch', 'kiln pipeline create --file nightly.json --json'],
    async run(ctx) {
      const file = str(ctx, 'file');
      const datasetId = str(ctx, 'dataset');
      if (!file === !datasetId) throw new UsageError('give --dataset ID (train, then score) or --file FILE');
      const name = str(ctx, 'name');
      let body: PipelineRequest;
      if (file) body = (await readJsonFile(file)) as PipelineRequest;
      else {
        const k = numberOf(str(ctx, 'k'), 'k', { int: true, min: 1, max: 1000 });
        const users = str(ctx, 'users');
        body = {
          ...(name ? { name } : {}),
          steps: [
            { kind: 'ssm.train', payload: trainPayload(datasetId as string, list(ctx, 'set'), name) },
            {
              kind: 'ssm.score',
              payload: { ...(k !== undefined ? { k } : {}), ...(users && users !== 'all' ? { users: users.split(',').map((u) => u.trim()) } : {}) },
            },
          ],
        } as PipelineRequest;
      }
      const key = str(ctx, 'idempotency-key');
      let p = await ctx.client.createPipeline(body, key ? { idempotencyKey: key } : {});
      if (!ctx.values.watch) {
        if (ctx.io.json) printJson(ctx.io, p);
        else show(p, ctx);
        return EXIT.ok;
      }
      note(ctx.io, `pipeline ${p.id}: ${p.state}`);
      p = await ctx.client.waitForPipeline(p.id, {
        signal: ctx.signal,
        onProgress: (x) => note(ctx.io, `pipeline ${x.id}: ${x.state}; ${x.steps.map((s) => `${s.index} ${s.kind} ${s.state}`).join(', ')}`),
      });
      if (ctx.io.json) printJson(ctx.io, p);
      else show(p, ctx);
      return p.state === 'completed' ? EXIT.ok : EXIT.jobFailed;
    },
  },
  {
    words: ['pipeline', 'ls'],
    summary: 'List pipelines, newest first',
    options: { state: { type: 'string', value: 'STATE', describe: STATES.join(', ') }, ...pageOptions(20) },
    async run(ctx) {
      const state = oneOf(str(ctx, 'state'), 'state', STATES);
      const { items, nextCursor } = await readPages(ctx, ctx.client.listPipelines, state ? { state } : {}, 20);
      if (ctx.io.json) printJson(ctx.io, items);
      else
        print(
          ctx.io,
          table([
            ['ID', 'NAME', 'STATE', 'STEPS', 'CREATED'],
            ...items.map((p) => [p.id, p.name ?? '-', p.state, p.steps.map((s) => `${s.kind}:${s.state}`).join(' → '), p.createdAt]),
          ]),
        );
      printMore(ctx, 'pipeline ls', nextCursor);
      return EXIT.ok;
    },
  },
  {
    words: ['pipeline', 'show'],
    args: 'ID',
    positionals: 1,
    summary: 'A pipeline: its state and its steps with their jobs',
    async run(ctx) {
      const p = await ctx.client.getPipeline(ctx.positionals[0] as string);
      if (ctx.io.json) printJson(ctx.io, p);
      else show(p, ctx);
      return EXIT.ok;
    },
  },
  {
    words: ['pipeline', 'cancel'],
    args: 'ID',
    positionals: 1,
    summary: 'Cancel a pipeline: its running step and the steps after it',
    async run(ctx) {
      const p = await ctx.client.cancelPipeline(ctx.positionals[0] as string);
      if (ctx.io.json) printJson(ctx.io, p);
      else show(p, ctx);
      return EXIT.ok;
    },
  },
];
