import type { Tune, TuneRequest, TuneState } from '@kiln/client';
import { type Command, flag, list, str } from '../command.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { fixed, note, print, printJson, table } from '../output.js';
import { pageOptions, printMore, readPages } from '../paging.js';
import { keyValue, numberOf, oneOf } from '../parse.js';
import { readJsonFile } from './pipelines.js';

const STATES = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const satisfies readonly TuneState[];

const scalar = (raw: string): unknown => {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
};

/**
 * `--search FIELD=SPEC`: `training.lr=0.001,0.002` (a list), `training.lr=0.0001..0.01:log` (a
 * range, log-uniform with `:log`), or JSON (`model.dropout=[0.1,0.2]`, `{"min":…,"max":…}`).
 */
export function searchOf(pairs: string[]): Record<string, unknown> {
  const search: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--search: expected FIELD=VALUES, got "${pair}"`);
    const field = pair.slice(0, eq).trim();
    const raw = pair.slice(eq + 1).trim();
    if (!field.includes('.')) throw new UsageError(`--search ${field}: name the field as model.<setting> or training.<setting>`);
    const range = /^([^.][^,]*?)\.\.([^,:]+?)(:log)?$/.exec(raw);
    const json = raw.startsWith('[') || raw.startsWith('{') ? scalar(raw) : undefined;
    if (json !== undefined && typeof json === 'object') search[field] = json;
    else if (range) {
      const min = Number(range[1]);
      const max = Number(range[2]);
      if (!Number.isFinite(min) || !Number.isFinite(max)) throw new UsageError(`--search ${field}: a range is MIN..MAX (numbers), got "${raw}"`);
      search[field] = { min, max, ...(range[3] ? { log: true } : {}) };
    } else search[field] = raw.split(',').map((v) => scalar(v.trim()));
  }
  return search;
}

/** `--set model.hiddenSize=16 --set training.maxEpochs=2` into the base request. */
function baseOf(sets: string[], preset: string | undefined): Record<string, unknown> {
  const base: Record<string, unknown> = preset ? { preset } : {};
  for (const pair of sets) {
    const [key, value] = keyValue(pair, 'set');
    const [group, field] = key.split('.', 2);
    if ((group !== 'model' && group !== 'training') || !field) throw new UsageError(`--set ${key}: expected model.<setting> or training.<setting>`);
    base[group] = { ...((base[group] as object | undefined) ?? {}), [field]: value };
  }
  return base;
}

const paramsText = (params: Record<string, unknown>) =>
  Object.entries(params)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');

function summary(t: Tune): string {
  const c = t.counts;
  const best = t.best ? `; best trial ${t.best.trial} (valid NDCG@10 ${fixed(t.best.objective)}, model ${t.best.modelId ?? '-'})` : '';
  return `tune ${t.id}${t.name ? ` (${t.name})` : ''}: ${t.state}; ${c.completed + c.failed + c.cancelled}/${t.trials.length} trials ended (${c.running} running, ${c.failed} failed)${best}`;
}

function show(t: Tune, io: Parameters<typeof print>[0]): void {
  print(io, `${summary(t)}${t.error ? ` — ${t.error.code}: ${t.error.message}` : ''}`);
  print(
    io,
    `${t.strategy}${t.seed !== null ? ` (seed ${t.seed})` : ''}, ${t.trials.length} trials${t.space.truncated ? ` of a ${t.space.size}-point grid (truncated to maxTrials)` : ''}, ${t.parallelism} at a time; objective ${t.objective}`,
  );
  print(
    io,
    table([
      ['', 'TRIAL', 'PARAMS', 'STATE', 'VALID NDCG@10', 'TEST NDCG@10', 'TEST HR@10', 'JOB', 'MODEL'],
      ...t.trials.map((x) => [
        t.best?.trial === x.index ? '*' : '',
        String(x.index),
        paramsText(x.params),
        x.error && x.state !== 'completed' ? `${x.state} (${x.error.code})` : x.state,
        fixed(x.objective ?? undefined),
        fixed(x.test?.['ndcg@10']),
        fixed(x.test?.['hr@10']),
        x.jobId ?? '-',
        x.modelId ?? '-',
      ]),
    ]),
  );
}

export const tuneCommands: Command[] = [
  {
    words: ['tune', 'start'],
    summary: 'Search hyperparameters: ssm.train trials over named fields, the best model kept',
    description:
      'Each trial is an ssm.train job on the dataset with the --set settings and its own values of the searched fields; the tune picks the trial with the highest validation NDCG@10. --search FIELD=VALUES names a field of the ssm.train payload (model.<setting> or training.<setting>) and its values: a list (training.lr=0.001,0.002), or for --strategy random a range (training.lr=0.0001..0.01:log, :log for log-uniform). A grid is the cartesian product, cut to --trials; random draws --trials trials from --seed. With --file: a POST /v1/tunes body. With --watch, follows it until it ends (exit 0 when it completed, 1 otherwise).',
    options: {
      dataset: { type: 'string', value: 'ID', describe: 'the dataset every trial trains on' },
      search: { type: 'string', multiple: true, value: 'FIELD=VALUES', describe: 'a field to search and its values or range (repeatable)' },
      strategy: { type: 'string', value: 'NAME', describe: 'grid (default) or random' },
      trials: { type: 'string', value: 'N', describe: 'the budget: trials at most (1..64; required for random)' },
      parallel: { type: 'string', value: 'N', describe: 'trials run at once (default 1)' },
      seed: { type: 'string', value: 'N', describe: 'seed of the random draws (same seed, same trials)' },
      set: { type: 'string', multiple: true, value: 'KEY=VALUE', describe: 'a setting every trial shares, e.g. --set training.maxEpochs=20' },
      preset: { type: 'string', value: 'NAME', describe: "where training defaults come from: 'default' or 'paper'" },
      name: { type: 'string', value: 'NAME', describe: 'a label for the tune' },
      file: { type: 'string', value: 'FILE', describe: 'a tune body as JSON (- for standard input)' },
      watch: { type: 'boolean', short: 'w', describe: 'follow the tune until it ends' },
      'idempotency-key': { type: 'string', value: 'KEY', describe: 'create at most once under this key' },
    },
    examples: [
      'kiln tune start --dataset 3f2a… --search training.lr=0.0005,0.001,0.002 --search model.dropout=0.1,0.3 --set training.maxEpochs=20 --watch',
      'kiln tune start --dataset 3f2a… --strategy random --trials 8 --seed 1 --search training.lr=0.0001..0.01:log --parallel 2',
    ],
    async run(ctx) {
      const file = str(ctx, 'file');
      const datasetId = str(ctx, 'dataset');
      if (!file === !datasetId) throw new UsageError('give --dataset ID with --search FIELD=VALUES, or --file FILE');
      let body: TuneRequest;
      if (file) body = (await readJsonFile(file)) as TuneRequest;
      else {
        const searches = list(ctx, 'search');
        if (searches.length === 0) throw new UsageError('--search FIELD=VALUES is required (e.g. --search training.lr=0.001,0.002)');
        const strategy = oneOf(str(ctx, 'strategy'), 'strategy', ['grid', 'random'] as const);
        const maxTrials = numberOf(str(ctx, 'trials'), 'trials', { int: true, min: 1, max: 64 });
        const parallelism = numberOf(str(ctx, 'parallel'), 'parallel', { int: true, min: 1 });
        const seed = numberOf(str(ctx, 'seed'), 'seed', { int: true, min: 0 });
        const name = str(ctx, 'name');
        const base = baseOf(list(ctx, 'set'), oneOf(str(ctx, 'preset'), 'preset', ['default', 'paper'] as const));
        body = {
          datasetId: datasetId as string,
          ...(name ? { name } : {}),
          ...(Object.keys(base).length ? { base } : {}),
          search: searchOf(searches),
          ...(strategy ? { strategy } : {}),
          ...(maxTrials !== undefined ? { maxTrials } : {}),
          ...(parallelism !== undefined ? { parallelism } : {}),
          ...(seed !== undefined ? { seed } : {}),
        } as TuneRequest;
      }
      const key = str(ctx, 'idempotency-key');
      let t = await ctx.client.createTune(body, key ? { idempotencyKey: key } : {});
      if (t.space.truncated) note(ctx.io, `the grid has ${t.space.size} points: only the first ${t.trials.length} (maxTrials) are tried`);
      if (!flag(ctx, 'watch')) {
        if (ctx.io.json) printJson(ctx.io, t);
        else show(t, ctx.io);
        return EXIT.ok;
      }
      note(ctx.io, summary(t));
      t = await ctx.client.waitForTune(t.id, { signal: ctx.signal, onProgress: (x) => note(ctx.io, summary(x)) });
      if (ctx.io.json) printJson(ctx.io, t);
      else show(t, ctx.io);
      return t.state === 'completed' ? EXIT.ok : EXIT.jobFailed;
    },
  },
  {
    words: ['tune', 'list'],
    summary: 'List tunes, newest first',
    options: {
      state: { type: 'string', value: 'STATE', describe: STATES.join(', ') },
      dataset: { type: 'string', value: 'ID', describe: "only this dataset's tunes" },
      ...pageOptions(20),
    },
    async run(ctx) {
      const state = oneOf(str(ctx, 'state'), 'state', STATES);
      const datasetId = str(ctx, 'dataset');
      const { items, nextCursor } = await readPages(ctx, ctx.client.listTunes, { ...(state ? { state } : {}), ...(datasetId ? { datasetId } : {}) }, 20);
      if (ctx.io.json) printJson(ctx.io, items);
      else
        print(
          ctx.io,
          table([
            ['ID', 'NAME', 'STATE', 'STRATEGY', 'TRIALS', 'BEST VALID NDCG@10', 'BEST MODEL', 'CREATED'],
            ...items.map((t) => [
              t.id,
              t.name ?? '-',
              t.state,
              t.strategy,
              `${t.counts.completed}/${t.trials.length}`,
              fixed(t.best?.objective),
              t.best?.modelId ?? '-',
              t.createdAt,
            ]),
          ]),
        );
      printMore(ctx, 'tune list', nextCursor);
      return EXIT.ok;
    },
  },
  {
    words: ['tune', 'show'],
    args: 'ID',
    positionals: 1,
    summary: 'A tune: its trials (params, state, validation and test metrics, job, model) and the best one (*)',
    async run(ctx) {
      const t = await ctx.client.getTune(ctx.positionals[0] as string);
      if (ctx.io.json) printJson(ctx.io, t);
      else show(t, ctx.io);
      return EXIT.ok;
    },
  },
  {
    words: ['tune', 'cancel'],
    args: 'ID',
    positionals: 1,
    summary: 'Cancel a tune: its running trials and the ones not yet started',
    async run(ctx) {
      const t = await ctx.client.cancelTune(ctx.positionals[0] as string);
      if (ctx.io.json) printJson(ctx.io, t);
      else show(t, ctx.io);
      return EXIT.ok;
    },
  },
];
