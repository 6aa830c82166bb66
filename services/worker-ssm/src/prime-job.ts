import { AppError, type SsmPrimeResult } from '@kiln/contracts';
import { type Db, getModelWeights, loadDataset } from '@kiln/db';
import type { JobContext, OnlineStateStore } from '@kiln/queue';
import { encodeState, primedState, type StatePrecision } from '@kiln/ssm/online';
import type { ComputePool } from './run-compute.js';

export interface PrimeOptions {
  db: Db;
  pool: ComputePool;
  store: OnlineStateStore;
  precision: StatePrecision;
}

export interface PrimeRequest {
  modelId: string;
  /** Whose histories (default the model's dataset). */
  datasetId?: string;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => Promise<void> | void;
}

/**
 * Every user's online state after their whole history in a dataset (docs/adr/0021): the states are
 * computed in a compute thread (the native kernel, all cores) and written to the state store,
 * replacing what was there (each user's version is bumped, so an event being applied concurrently
 * is re-applied on the new state).
 */
export async function primeOnlineStates(options: PrimeOptions, request: PrimeRequest): Promise<Omit<SsmPrimeResult, 'seconds'>> {
  const { db } = options;
  const model = await getModelWeights(db, request.modelId);
  if (!model) throw new AppError('KILN_ERR_MODEL_UNKNOWN', `no model ${request.modelId}`);
  const datasetId = request.datasetId ?? model.datasetId;
  const content = await loadDataset(db, datasetId);
  if (!content) throw new AppError('KILN_ERR_DATASET_UNKNOWN', `no dataset ${datasetId}`);
  let sequences = content.sequences;
  let skippedItems = 0;
  if (datasetId !== model.datasetId) {
    // Another dataset's dense ids mean other items: map them through the external ids.
    const own = await db.datasetItem.findMany({ where: { datasetId: model.datasetId }, select: { idx: true, externalId: true } });
    const index = new Map(own.map((r) => [r.externalId, r.idx]));
    const map = Int32Array.from(content.items, (ext) => index.get(ext) ?? 0);
    sequences = content.sequences.map((seq) => {
      const out = Int32Array.from(seq, (i) => map[i - 1] as number).filter((i) => i > 0);
      skippedItems += seq.length - out.length;
      return out;
    });
  }
  let primed: { states: Float32Array; hidden: Float32Array; seconds: number } | undefined;
  await options.pool.run(
    { op: 'prime', config: model.config as { nItems: number }, weights: model.weights, sequences },
    {
      signal: request.signal ?? new AbortController().signal,
      onMessage: (m) => {
        if (m.type === 'primed') primed = m;
      },
    },
  );
  if (!primed) throw new AppError('KILN_ERR_INTERNAL', 'priming ended without states');
  const result = primed;
  const users = sequences.length;
  const dims = { stateFloats: result.states.length / Math.max(1, users), hidden: result.hidden.length / Math.max(1, users) };
  let bytes = 0;
  let done = 0;
  const entries = function* () {
    for (let u = 0; u < users; u++) {
      const seq = sequences[u] as Int32Array;
      if (seq.length === 0) continue;
      const blob = encodeState(primedState(result, u, seq, dims), options.precision);
      bytes += blob.length;
      done++;
      yield { user: content.users[u] as string, blob };
    }
  };
  const written = await options.store.putMany(request.modelId, entries(), 512);
  await request.onProgress?.(done, users);
  return {
    modelId: request.modelId,
    datasetId,
    users: written,
    skippedItems,
    stateBytesPerUser: written ? Math.round(bytes / written) : 0,
    computeSeconds: result.seconds,
  };
}

/** The `ssm.prime` handler. */
export function createPrimeHandler(options: PrimeOptions) {
  return async (ctx: JobContext<'ssm.prime'>): Promise<SsmPrimeResult> => {
    const started = performance.now();
    const out = await primeOnlineStates(options, {
      modelId: ctx.payload.modelId,
      datasetId: ctx.payload.datasetId,
      signal: ctx.signal,
      onProgress: (done, total) => ctx.progress({ kind: 'ssm.prime', done, total }),
    });
    const seconds = (performance.now() - started) / 1000;
    ctx.log.info({ ...out, seconds }, 'primed');
    return { ...out, seconds };
  };
}
