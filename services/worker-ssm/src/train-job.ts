import { AppError, type JobProgress, type SsmTrainResult } from '@kiln/contracts';
import {
  type Db,
  deleteCheckpoint,
  deleteEpochsAfter,
  finishTrainingRun,
  getDataset,
  loadCheckpoint,
  loadDataset,
  saveCheckpoint,
  upsertEpoch,
  upsertModelForJob,
  type SqlPool,
  upsertTrainingRun,
} from '@kiln/db';
import type { JobContext } from '@kiln/queue';
import type { BackendPreference, TrainResult } from '@kiln/ssm';
import { trainingMemoryProblem } from '@kiln/ssm/config';
import { trainableProblem } from '@kiln/ssm/data';
import { type PrimeOptions, primeOnlineStates } from './prime-job.js';
import type { ComputePool } from './run-compute.js';

export interface SsmJobOptions {
  db: Db;
  /** A plain pool for the checkpoints (megabytes per epoch: far cheaper than through Prisma); default `db`. */
  sql?: SqlPool;
  /** Warm compute threads (TensorFlow.js loaded, backend chosen). */
  pool: ComputePool;
  backend?: BackendPreference;
  /** The memory a training job may use (KILN_SSM_MEMORY_MB): a job estimated above it fails with KILN_ERR_RESOURCE_LIMIT. */
  memoryBudgetBytes?: number;
  /** Where a trained model's users' online states go (absent: not primed). */
  online?: PrimeOptions;
}

/** The API refuses these at submit; a payload queued before that check (or by another producer) is refused here. */
function checkMemory(payload: JobContext<'ssm.train'>['payload'], dataset: { items: number; users: number; interactions: number }, budget: number): void {
  const problem = trainingMemoryProblem({ model: payload.model, training: payload.training, nItems: dataset.items, dataset }, budget);
  if (problem) throw new AppError('KILN_ERR_RESOURCE_LIMIT', problem.message, { details: problem.details });
}

const finite = (m: Record<string, number>) => Object.values(m).every(Number.isFinite);

/** The `ssm.train` handler: load the dataset, train in a compute thread, store epochs and the model. */
export function createTrainHandler(options: SsmJobOptions) {
  return async (ctx: JobContext<'ssm.train'>): Promise<SsmTrainResult> => {
    const { db } = options;
    const checkpoints = options.sql ?? db;
    const started = performance.now();
    const { datasetId, model, training } = ctx.payload;
    const dataset = await getDataset(db, datasetId);
    if (dataset && options.memoryBudgetBytes !== undefined) checkMemory(ctx.payload, dataset, options.memoryBudgetBytes);
    const content = dataset ? await loadDataset(db, datasetId) : null;
    if (!dataset || !content) throw new AppError('KILN_ERR_DATASET_UNKNOWN', `no dataset ${datasetId}`);
    const tooSmall = trainableProblem(content.sequences.map((s) => s.length));
    if (tooSmall) throw new AppError('KILN_ERR_DATASET_TOO_SMALL', tooSmall.message, { details: tooSmall.details });
    const run = await upsertTrainingRun(db, { jobId: ctx.id, datasetId, config: { model, training } });
    // A retried attempt resumes from the run's last end-of-epoch checkpoint (the compute thread
    // checks that it belongs to this run, else trains from scratch).
    const checkpoint = await loadCheckpoint(checkpoints, run.id);
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
        ...(checkpoint ? { resumeFrom: checkpoint.state } : {}),
      },
      {
        signal: ctx.signal,
        onMessage: async (m) => {
          if (m.type === 'backend') {
            backend = m.backend;
            ctx.log.info({ backend, native: m.native }, 'tensor backend');
            await upsertTrainingRun(db, { jobId: ctx.id, datasetId, config: { model, training }, backend });
          } else if (m.type === 'start') {
            // The epochs up to the checkpoint stay (written again from it: it is the truth); later ones are redone.
            await deleteEpochsAfter(db, run.id, m.resumedFrom);
            for (const r of m.epochs) await upsertEpoch(db, run.id, r);
            const last = m.epochs.at(-1);
            if (last) lastEpoch = { epoch: last.epoch, loss: last.loss, valid: last.valid, seconds: last.seconds };
            if (m.discarded) ctx.log.warn({ reason: m.discarded, checkpointEpoch: checkpoint?.epoch }, 'checkpoint discarded: training from scratch');
            if (m.resumedFrom > 0) ctx.log.info({ epoch: m.resumedFrom, attempt: ctx.attempt }, `resumed from epoch ${m.resumedFrom}`);
            // Training has started (the epochs a resumed run already has, or none).
            await ctx.progress({ kind: 'ssm.train', maxEpochs: training.maxEpochs, ...lastEpoch });
          } else if (m.type === 'epoch') {
            const r = m.report;
            if (!Number.isFinite(r.loss)) throw new AppError('KILN_ERR_MODEL_NONFINITE', `loss became ${r.loss} at epoch ${r.epoch}`);
            await upsertEpoch(db, run.id, r);
            lastEpoch = { epoch: r.epoch, loss: r.loss, valid: r.valid, seconds: r.seconds };
          } else if (m.type === 'checkpoint') {
            // Saved before the epoch is reported: progress never shows an epoch a retry would redo.
            const t0 = performance.now();
            await saveCheckpoint(checkpoints, run.id, m.epoch, m.bytes);
            await ctx.progress({ kind: 'ssm.train', maxEpochs: training.maxEpochs, ...lastEpoch });
            ctx.log.info(
              {
                epoch: m.epoch,
                loss: lastEpoch.loss,
                ndcg10: lastEpoch.valid?.['ndcg@10'],
                seconds: lastEpoch.seconds,
                checkpointBytes: m.bytes.length,
                checkpointMs: Math.round(performance.now() - t0),
              },
              'epoch',
            );
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
    // The model is stored: a retry of this job would only store it again, so the checkpoint goes.
    await deleteCheckpoint(checkpoints, run.id);
    if (options.online) {
      // Online recommendations start from every user's state (docs/adr/0021). A failure here does
      // not fail the training: the API replays a missing user's history on first use, and an
      // ssm.prime job can be run later.
      try {
        const primed = await primeOnlineStates(options.online, { modelId: stored.id, signal: ctx.signal });
        ctx.log.info(primed, 'online states primed');
      } catch (err) {
        ctx.log.warn({ err, modelId: stored.id }, 'online states could not be primed; run an ssm.prime job');
      }
    }
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
