import { AppError, type JobProgress, type SsmTrainResult } from '@kiln/contracts';
import { type Db, finishTrainingRun, getDataset, loadDataset, upsertEpoch, upsertModelForJob, upsertTrainingRun } from '@kiln/db';
import type { JobContext } from '@kiln/queue';
import type { BackendPreference, TrainResult } from '@kiln/ssm';
import type { ComputePool } from './run-compute.js';

export interface SsmJobOptions {
  db: Db;
  /** Warm compute threads (TensorFlow.js loaded, backend chosen). */
  pool: ComputePool;
  backend?: BackendPreference;
}

const finite = (m: Record<string, number>) => Object.values(m).every(Number.isFinite);

/** The `ssm.train` handler: load the dataset, train in a compute thread, store epochs and the model. */
export function createTrainHandler(options: SsmJobOptions) {
  return async (ctx: JobContext<'ssm.train'>): Promise<SsmTrainResult> => {
    const { db } = options;
    const started = performance.now();
    const { datasetId, model, training } = ctx.payload;
    const dataset = await getDataset(db, datasetId);
    const content = dataset ? await loadDataset(db, datasetId) : null;
    if (!dataset || !content) throw new AppError('KILN_ERR_DATASET_UNKNOWN', `no dataset ${datasetId}`);
    const run = await upsertTrainingRun(db, { jobId: ctx.id, datasetId, config: { model, training } });
    // A retried job trains from scratch: its epochs start again.
    await db.epochMetric.deleteMany({ where: { runId: run.id } });
    let backend = 'unknown';
    // Batch progress carries the last finished epoch's figures, so they stay visible between epochs.
    let lastEpoch: Omit<JobProgress<'ssm.train'>, 'kind' | 'maxEpochs'> = { epoch: 0 };
    let result: TrainResult | undefined;
    await options.pool.run(
      {
        op: 'train',
        ...(options.backend ? { backend: options.backend } : {}),
        sequences: content.sequences,
        nItems: content.items.length,
        options: { model, ...training },
      },
      {
        signal: ctx.signal,
        onMessage: async (m) => {
          if (m.type === 'backend') {
            backend = m.backend;
            ctx.log.info({ backend, native: m.native }, 'tensor backend');
            await upsertTrainingRun(db, { jobId: ctx.id, datasetId, config: { model, training }, backend });
          } else if (m.type === 'epoch') {
            const r = m.report;
            if (!Number.isFinite(r.loss)) throw new AppError('KILN_ERR_MODEL_NONFINITE', `loss became ${r.loss} at epoch ${r.epoch}`);
            await upsertEpoch(db, run.id, r);
            lastEpoch = { epoch: r.epoch, loss: r.loss, valid: r.valid, seconds: r.seconds };
            await ctx.progress({ kind: 'ssm.train', maxEpochs: training.maxEpochs, ...lastEpoch });
            ctx.log.info({ epoch: r.epoch, loss: r.loss, ndcg10: r.valid['ndcg@10'], seconds: r.seconds }, 'epoch');
          } else if (m.type === 'batch') {
            await ctx.progress({ kind: 'ssm.train', maxEpochs: training.maxEpochs, ...lastEpoch, batch: m.done, batches: m.total });
          } else if (m.type === 'done') {
            result = m.result;
          }
        },
      },
    );
    if (!result) throw new AppError('KILN_ERR_INTERNAL', 'training ended without a result');
    if (!finite(result.test) || !finite(result.valid)) throw new AppError('KILN_ERR_MODEL_NONFINITE', 'the trained model gives non-finite metrics');
    const stored = await upsertModelForJob(db, {
      jobId: ctx.id,
      name: ctx.payload.name ?? `mamba4rec-${dataset.name}`,
      datasetId,
      config: result.config,
      weights: result.weights,
      metrics: { valid: result.valid, test: result.test, testMasked: result.testMasked },
      epochs: result.epochs,
      backend: result.backend,
      parameters: result.parameters,
      bestEpoch: result.bestEpoch,
    });
    await finishTrainingRun(db, run.id, result.bestEpoch);
    return {
      modelId: stored.id,
      modelVersion: stored.version,
      bestEpoch: result.bestEpoch,
      epochs: result.epochs.length,
      valid: result.valid,
      test: result.test,
      testMasked: result.testMasked,
      backend: result.backend,
      parameters: result.parameters,
      seconds: (performance.now() - started) / 1000,
    };
  };
}
