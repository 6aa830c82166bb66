import type { JobRequest, KilnClient } from '@kiln/client';
import { type Command, callbackOptions, flag, list, str } from '../command.js';
import { pageOptions, printMore, readPages } from '../paging.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { follow, printJob } from '../follow.js';
import { fixed, note, print, printJson, table } from '../output.js';
import { keyValue, numberOf, oneOf } from '../parse.js';

type TrainPayload = JobRequest<'ssm.train'>;

/** The settable keys of `model` and `training`, read from the API's own OpenAPI document (so the CLI never lags the API). */
async function trainKeys(client: KilnClient): Promise<{ model: string[]; training: string[] }> {
  const res = await fetch(`${client.baseUrl}/docs/json`).catch(() => null);
  const doc = (await res?.json().catch(() => null)) as {
    components?: { schemas?: Record<string, { properties?: { payload?: { properties?: Record<string, { properties?: object }> } } }> };
  } | null;
  const payload = doc?.components?.schemas?.Submit_ssm_train?.properties?.payload?.properties;
  return { model: Object.keys(payload?.model?.properties ?? {}), training: Object.keys(payload?.training?.properties ?? {}) };
}

/** --set pairs into the payload's `model` and `training`: `model.hiddenSize=128`, or the bare key where it is unambiguous. */
async function applySets(client: KilnClient, sets: string[], payload: TrainPayload): Promise<void> {
  if (sets.length === 0) return;
  const keys = await trainKeys(client);
  for (const pair of sets) {
    const [key, value] = keyValue(pair, 'set');
    const [group, name] = key.includes('.')
      ? (key.split('.', 2) as [string, string])
      : [keys.model.includes(key) ? 'model' : keys.training.includes(key) ? 'training' : '', key];
    if (group !== 'model' && group !== 'training') {
      throw new UsageError(`--set ${key}: not a setting; model: ${keys.model.join(', ') || '?'}; training: ${keys.training.join(', ') || '?'}`);
    }
    const target = (payload[group] ?? {}) as Record<string, unknown>;
    target[name] = value;
    payload[group] = target;
  }
}

export const ssmCommands: Command[] = [
  {
    words: ['train'],
    summary: 'Train a Mamba4Rec model on a dataset',
    description:
      "Queues an ssm.train job. Settings not given come from the preset (default: Kiln's ML-1M preset; 'paper': the Mamba4Rec paper's run). With --watch, follows it epoch by epoch (a live bar on a terminal) and exits 0 when the model is stored, 1 if the job fails.",
    options: {
      dataset: { type: 'string', value: 'ID', describe: 'the dataset to train on (kiln datasets ls)' },
      preset: { type: 'string', value: 'NAME', describe: "where defaults come from: 'default' or 'paper'" },
      set: {
        type: 'string',
        multiple: true,
        value: 'KEY=VALUE',
        describe: 'a model or training setting, e.g. --set maxEpochs=20 --set model.hiddenSize=128 (repeatable)',
      },
      name: { type: 'string', value: 'NAME', describe: 'the model name (default mamba4rec-<dataset>)' },
      watch: { type: 'boolean', short: 'w', describe: 'follow the job until it ends' },
      'idempotency-key': { type: 'string', value: 'KEY', describe: 'submit at most once under this key' },
      'callback-url': { type: 'string', value: 'URL', describe: "POST the job's final state there, signed (secret: kiln webhooks callback-secret)" },
    },
    examples: ['kiln train --dataset 3f2a… --set maxEpochs=20 --watch', 'kiln train --dataset 3f2a… --preset paper --json'],
    async run(ctx) {
      const datasetId = str(ctx, 'dataset');
      if (!datasetId) throw new UsageError('--dataset is required');
      const preset = oneOf(str(ctx, 'preset'), 'preset', ['default', 'paper'] as const);
      const payload: TrainPayload = { datasetId, ...(preset ? { preset } : {}), ...(str(ctx, 'name') ? { name: str(ctx, 'name') } : {}) };
      await applySets(ctx.client, list(ctx, 'set'), payload);
      const key = str(ctx, 'idempotency-key');
      const submitted = await ctx.client.submit({ kind: 'ssm.train', payload, ...callbackOptions(ctx) }, key ? { idempotencyKey: key } : {});
      if (!flag(ctx, 'watch')) {
        if (ctx.io.json) printJson(ctx.io, submitted);
        else print(ctx.io, `queued ssm.train ${submitted.id} (follow it: kiln jobs watch ${submitted.id})`);
        return EXIT.ok;
      }
      note(ctx.io, `queued ssm.train ${submitted.id}`);
      const job = await follow(ctx.client, submitted.id, ctx.io, ctx.signal);
      return printJob(job, ctx.io, () => {
        if (job.kind !== 'ssm.train' || !job.result) return;
        const r = job.result;
        print(
          ctx.io,
          `model ${r.modelId} (v${r.modelVersion}): best epoch ${r.bestEpoch} of ${r.epochs}; test NDCG@10 ${fixed(r.test['ndcg@10'])}, HR@10 ${fixed(r.test['hr@10'])}, MRR@10 ${fixed(r.test['mrr@10'])} (masked NDCG@10 ${fixed(r.testMasked['ndcg@10'])}); ${r.seconds.toFixed(0)} s on ${r.backend}`,
        );
      });
    },
  },
  {
    words: ['score'],
    summary: "Write every user's top-K next items from a trained model",
    description: 'Queues an ssm.score job over all users (or --users). Export the result with `kiln recs export JOB --out recs.csv`.',
    options: {
      model: { type: 'string', value: 'ID', describe: 'the model (kiln models ls)' },
      users: { type: 'string', value: 'U1,U2,…', describe: "the dataset's user ids to score (default: all)" },
      k: { type: 'string', short: 'k', value: 'K', describe: 'items per user (default 10)' },
      'include-seen': { type: 'boolean', describe: "allow items of the user's own history" },
      watch: { type: 'boolean', short: 'w', describe: 'follow the job until it ends' },
      'idempotency-key': { type: 'string', value: 'KEY', describe: 'submit at most once under this key' },
      'callback-url': { type: 'string', value: 'URL', describe: "POST the job's final state there, signed (secret: kiln webhooks callback-secret)" },
    },
    examples: ['kiln score --model 9c1e… -k 20 --watch'],
    async run(ctx) {
      const modelId = str(ctx, 'model');
      if (!modelId) throw new UsageError('--model is required');
      const k = numberOf(str(ctx, 'k'), 'k', { int: true, min: 1, max: 1000 });
      const users = str(ctx, 'users')
        ?.split(',')
        .map((u) => u.trim())
        .filter(Boolean);
      const payload: JobRequest<'ssm.score'> = {
        modelId,
        ...(users?.length ? { users } : {}),
        ...(k !== undefined ? { k } : {}),
        ...(flag(ctx, 'include-seen') ? { excludeSeen: false } : {}),
      };
      const key = str(ctx, 'idempotency-key');
      const submitted = await ctx.client.submit({ kind: 'ssm.score', payload, ...callbackOptions(ctx) }, key ? { idempotencyKey: key } : {});
      if (!flag(ctx, 'watch')) {
        if (ctx.io.json) printJson(ctx.io, submitted);
        else print(ctx.io, `queued ssm.score ${submitted.id} (follow it: kiln jobs watch ${submitted.id})`);
        return EXIT.ok;
      }
      note(ctx.io, `queued ssm.score ${submitted.id}`);
      const job = await follow(ctx.client, submitted.id, ctx.io, ctx.signal);
      return printJob(job, ctx.io, () => {
        if (job.kind === 'ssm.score' && job.result)
          print(
            ctx.io,
            `scored ${job.result.users} users, top ${job.result.k}, in ${job.result.seconds.toFixed(1)} s (export: kiln recs export ${job.id} --out recs.csv)`,
          );
      });
    },
  },
  {
    words: ['models', 'ls'],
    summary: 'Trained models with their test metrics',
    options: { dataset: { type: 'string', value: 'ID', describe: 'only the models of this dataset' }, ...pageOptions(100) },
    async run(ctx) {
      const dataset = str(ctx, 'dataset');
      const { items, nextCursor } = await readPages(ctx, ctx.client.listModels, dataset ? { datasetId: dataset } : {}, 100);
      if (ctx.io.json) printJson(ctx.io, items);
      else {
        print(
          ctx.io,
          table([
            ['ID', 'NAME', 'V', 'DATASET', 'NDCG@10', 'HR@10', 'CREATED'],
            ...items.map((m) => [m.id, m.name, String(m.version), m.datasetId, fixed(m.metrics.test['ndcg@10']), fixed(m.metrics.test['hr@10']), m.createdAt]),
          ]),
        );
      }
      printMore(ctx, `models ls${dataset ? ` --dataset ${dataset}` : ''}`, nextCursor);
      return EXIT.ok;
    },
  },
  {
    words: ['models', 'rm'],
    args: 'ID',
    positionals: 1,
    summary: 'Delete a model (its weights with it)',
    description: 'Refused (exit 3, KILN_ERR_IN_USE) while an unfinished scoring job uses it: the error names them.',
    async run(ctx) {
      const id = ctx.positionals[0] as string;
      await ctx.client.deleteModel(id);
      if (ctx.io.json) printJson(ctx.io, { id, deleted: true });
      else print(ctx.io, `model ${id} deleted`);
      return EXIT.ok;
    },
  },
  {
    words: ['models', 'get'],
    args: 'ID',
    positionals: 1,
    summary: 'One model: config, metrics, epochs',
    async run(ctx) {
      const m = await ctx.client.getModel(ctx.positionals[0] as string);
      if (ctx.io.json) printJson(ctx.io, m);
      else {
        print(ctx.io, `${m.id}  ${m.name} v${m.version} (dataset ${m.datasetId}, ${m.parameters} parameters, ${m.backend})`);
        print(ctx.io, `  config: ${JSON.stringify(m.config)}`);
        print(
          ctx.io,
          `  test NDCG@10 ${fixed(m.metrics.test['ndcg@10'])}, HR@10 ${fixed(m.metrics.test['hr@10'])}; best epoch ${m.bestEpoch} of ${m.epochs.length}`,
        );
      }
      return EXIT.ok;
    },
  },
];
