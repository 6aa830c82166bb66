import { AppError, type SsmScoreResult } from '@kiln/contracts';
import { getModelWeights, loadDataset, writeRecommendations } from '@kiln/db';
import type { JobContext } from '@kiln/queue';
import type { SsmJobOptions } from './train-job.js';

/** Users scored per message from the compute thread, and so per batch written to Postgres. */
const CHUNK = 512;

/** The `ssm.score` handler: each requested user's top-K over the whole history, written in batches. */
export function createScoreHandler(options: SsmJobOptions) {
  return async (ctx: JobContext<'ssm.score'>): Promise<SsmScoreResult> => {
    const { db } = options;
    const started = performance.now();
    const { modelId, k, excludeSeen } = ctx.payload;
    const model = await getModelWeights(db, modelId);
    if (!model) throw new AppError('KILN_ERR_MODEL_UNKNOWN', `no model ${modelId}`);
    const content = await loadDataset(db, model.datasetId);
    if (!content) throw new AppError('KILN_ERR_DATASET_UNKNOWN', `the dataset of model ${modelId} is gone`);

    let userIdx: number[];
    if (ctx.payload.users === 'all') {
      userIdx = content.users.map((_, i) => i);
    } else {
      const index = new Map(content.users.map((u, i) => [u, i]));
      const unknown = ctx.payload.users.filter((u) => !index.has(u));
      if (unknown.length) {
        throw new AppError('KILN_ERR_PAYLOAD_INVALID', `payload.users: ${unknown.length} unknown user(s), e.g. ${unknown.slice(0, 5).join(', ')}`, {
          details: { unknown: unknown.slice(0, 100) },
        });
      }
      userIdx = [...new Set(ctx.payload.users.map((u) => index.get(u) as number))];
    }
    // A retried job skips the users whose rows are already written (rows are keyed by job and user).
    const done = new Set((await db.recommendation.findMany({ where: { jobId: ctx.id }, select: { userIdx: true } })).map((r) => r.userIdx));
    const todo = Int32Array.from(userIdx.filter((u) => !done.has(u)));
    let written = userIdx.length - todo.length;
    const loaded = performance.now();
    let writeMs = 0;

    await options.pool.run(
      {
        op: 'score',
        ...(options.backend ? { backend: options.backend } : {}),
        config: model.config as { nItems: number },
        weights: model.weights,
        inputs: Array.from(todo, (u) => content.sequences[u] as Int32Array),
        users: todo,
        k,
        excludeSeen,
        chunk: CHUNK,
      },
      {
        signal: ctx.signal,
        onMessage: async (m) => {
          if (m.type !== 'scored') return;
          const rows = Array.from(m.users, (u, r) => ({
            userIdx: u,
            userExternalId: content.users[u] as string,
            items: Array.from(m.items[r] ?? [], (item) => content.items[item - 1] as string),
            scores: Array.from(m.scores[r] ?? []),
          }));
          const w0 = performance.now();
          await writeRecommendations(db, ctx.id, modelId, rows);
          writeMs += performance.now() - w0;
          written += rows.length;
          await ctx.progress({ kind: 'ssm.score', done: written, total: userIdx.length });
        },
      },
    );
    const end = performance.now();
    ctx.log.info(
      { users: userIdx.length, loadMs: Math.round(loaded - started), scoreAndWriteMs: Math.round(end - loaded), writeMs: Math.round(writeMs) },
      'scored',
    );
    return { modelId, users: userIdx.length, k, excludeSeen, seconds: (end - started) / 1000 };
  };
}
