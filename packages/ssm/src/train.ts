import * as tf from '@tensorflow/tfjs-core';
import { ensureBackend } from './backend.js';
import type { EpochReport } from './epoch-report.js';
import { leaveOneOut, testInput, trainableProblem } from './data/leave-one-out.js';
import { rankMetrics } from './data/metrics.js';
import { evaluateRanks, evaluateRanksBoth } from './evaluate.js';
import { Adam } from './model/adam.js';
import { type Mamba4RecConfig, type ModelConfig, resolveMamba4RecConfig } from './model/config.js';
import { createMamba4Rec, type Mamba4Rec } from './model/mamba4rec.js';
import { tiedSoftmaxCrossEntropy } from './model/ops.js';
import { dataDigest, decodeCheckpoint, encodeCheckpoint, type RunKey, runKeyMismatch, type TrainingCheckpoint } from './model/checkpoint.js';
import { Rng } from './model/rng.js';
import { encodeWeights } from './model/weights.js';
import { resolveTrainingConfig, type TrainingConfig, type TrainingPreset, type TrainObjective } from './training-config.js';

export type { EpochReport } from './epoch-report.js';
export type { TrainObjective } from './training-config.js';

/**
 * trainMamba4Rec's options: any TrainingConfig field (defaults: TRAINING_DEFAULTS, Kiln's preset;
 * `preset` picks another starting point), the model's hyper-parameters, and how to run here.
 */
export interface TrainOptions extends Partial<TrainingConfig> {
  preset?: TrainingPreset;
  model?: Partial<ModelConfig>;
  /** Padded positions (length × windows) per `length` batch; default batchSize × the mean window length. */
  batchTokens?: number;
  /** Users per evaluation batch (default 256). */
  evalBatchSize?: number;
  /** Checked between batches; aborting throws an error named 'AbortError'. */
  signal?: AbortSignal;
  onEpoch?: (report: EpochReport) => void | Promise<void>;
  onBatch?: (done: number, total: number) => void;
  /** Stop each epoch after this many training targets (benchmarks time a prefix of an epoch). */
  maxTrainTargets?: number;
  /**
   * A checkpoint from `onCheckpoint` of an earlier run with the same data and options: training
   * continues after its epoch exactly as the run would have (same batches, dropout masks, Adam
   * steps; the reports of its epochs are part of the result). One of another run throws a
   * CheckpointMismatchError (see `checkpointMismatch`).
   */
  resumeFrom?: Uint8Array;
  /**
   * Called at the end of every epoch, after `onEpoch`, with the run's state (weights, Adam's
   * moments and step, the random streams, the best epoch so far and the reports so far) encoded by
   * `encodeCheckpoint`; awaited before the next epoch starts. The bytes are the caller's.
   */
  onCheckpoint?: (epoch: number, checkpoint: Uint8Array) => void | Promise<void>;
}

/** A checkpoint given to `resumeFrom` belongs to another run (other data or options). */
export class CheckpointMismatchError extends Error {
  override readonly name = 'CheckpointMismatchError';
}

export interface TrainResult {
  config: Mamba4RecConfig;
  /** The training config that ran (every default filled in). */
  training: TrainingConfig;
  bestEpoch: number;
  epochs: EpochReport[];
  /** Validation metrics of the best epoch. */
  valid: Record<string, number>;
  /** Test metrics with the best epoch's weights, full ranking, seen items NOT masked (the paper's protocol). */
  test: Record<string, number>;
  /** Same, with the items of each user's input history excluded from the ranking. */
  testMasked: Record<string, number>;
  weights: Uint8Array;
  backend: string;
  parameters: number;
}

export interface TrainingData {
  sequences: Int32Array[];
  nItems: number;
}

/**
 * Training samples: all-position windows (user, start, end): inputs train[start..end), targets
 * train[start+1..end]; per-prefix (user, start, end): inputs train[start..end), one target train[end].
 */
export interface Samples {
  user: Int32Array;
  start: Int32Array;
  end: Int32Array;
  count: number;
  targets: number;
}

function buildSamples(trains: Int32Array[], objective: TrainObjective, maxLen: number): Samples {
  const user: number[] = [];
  const start: number[] = [];
  const end: number[] = [];
  let targets = 0;
  trains.forEach((seq, u) => {
    const n = seq.length;
    if (n < 2) return;
    if (objective === 'all-position') {
      for (let e = n - 1; e > 0; ) {
        const b = Math.max(0, e - maxLen);
        user.push(u);
        start.push(b);
        end.push(e);
        targets += e - b;
        e = b;
      }
    } else {
      for (let i = 1; i < n; i++) {
        user.push(u);
        start.push(Math.max(0, i - maxLen));
        end.push(i);
        targets++;
      }
    }
  });
  return { user: Int32Array.from(user), start: Int32Array.from(start), end: Int32Array.from(end), count: user.length, targets };
}

/**
 * `samples` plus `extra` windows per user (with at least 3 training items) ending at a uniformly
 * random position e in [2, n−2] (the full window ends at n−1), inputs train[max(0, e−maxLen)..e).
 */
export function withRandomCrops(samples: Samples, trains: Int32Array[], extra: number, maxLen: number, rng: Rng): Samples {
  const user = Array.from(samples.user);
  const start = Array.from(samples.start);
  const end = Array.from(samples.end);
  let targets = samples.targets;
  trains.forEach((seq, u) => {
    const n = seq.length;
    if (n < 3) return;
    for (let k = 0; k < extra; k++) {
      const e = 2 + Math.floor(rng.next() * (n - 3));
      const b = Math.max(0, e - maxLen);
      user.push(u);
      start.push(b);
      end.push(e);
      targets += e - b;
    }
  });
  return { user: Int32Array.from(user), start: Int32Array.from(start), end: Int32Array.from(end), count: user.length, targets };
}

/** Training targets in one full epoch (the bench extrapolates from a prefix with this). */
export function trainingTargetsPerEpoch(data: TrainingData, options: { objective?: TrainObjective; maxLen?: number } = {}): number {
  const trains = leaveOneOut(data.sequences).map((s) => s.train);
  return buildSamples(trains, options.objective ?? 'all-position', options.maxLen ?? 200).targets;
}

function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  const err = new Error(reason instanceof Error ? reason.message : 'training aborted', { cause: reason });
  err.name = 'AbortError';
  return err;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** What trainMamba4Rec derives from its data and options before training: the run's identity among others. */
function prepareRun(data: TrainingData, options: TrainOptions) {
  const config = resolveMamba4RecConfig({ ...options.model, nItems: data.nItems });
  const training = resolveTrainingConfig(options, options.preset);
  const splits = leaveOneOut(data.sequences);
  const trains = splits.map((s) => s.train);
  const samples = buildSamples(trains, training.objective, config.maxLen);
  const batchTokens = Math.max(config.maxLen, Math.round(options.batchTokens ?? (training.batchSize * samples.targets) / Math.max(1, samples.count)));
  const evalBatchSize = options.evalBatchSize ?? 256;
  const key: RunKey = {
    config,
    training,
    batchTokens,
    maxTrainTargets: options.maxTrainTargets ?? null,
    evalBatchSize,
    data: { users: data.sequences.length, interactions: data.sequences.reduce((n, s) => n + s.length, 0), digest: dataDigest(data.sequences) },
  };
  return { config, training, splits, trains, samples, batchTokens, evalBatchSize, key };
}

/**
 * Whether `checkpoint` can resume training `data` with `options`: the epoch it continues after,
 * or why not (another dataset, model or training config; an unreadable or foreign blob).
 */
export function checkpointMismatch(checkpoint: Uint8Array, data: TrainingData, options: TrainOptions = {}): { epoch: number } | { reason: string } {
  let saved: TrainingCheckpoint;
  try {
    saved = decodeCheckpoint(checkpoint);
  } catch (error) {
    return { reason: (error as Error).message };
  }
  const reason = runKeyMismatch(saved.key, prepareRun(data, options).key);
  return reason === undefined ? { epoch: saved.epoch } : { reason };
}

/**
 * Trains Mamba4Rec on leave-one-out splits of `data.sequences` (dense item ids 1..nItems):
 * full-softmax cross-entropy, Adam, validation (full ranking, unmasked) after every epoch, early
 * stopping on validation NDCG@10, test metrics with the best epoch's weights.
 */
export async function trainMamba4Rec(data: TrainingData, options: TrainOptions = {}): Promise<TrainResult> {
  const backend = await ensureBackend();
  for (const seq of data.sequences) {
    for (const item of seq) {
      if (!(item >= 1 && item <= data.nItems)) throw new RangeError(`item id ${item} outside 1..${data.nItems}`);
    }
  }
  const tooSmall = trainableProblem(data.sequences.map((s) => s.length));
  if (tooSmall) throw tooSmall;
  const { config, training, splits, trains, samples, batchTokens, evalBatchSize, key } = prepareRun(data, options);
  const { objective, batchSize, maxEpochs, patience, seed, lr, lrSchedule } = training;
  let resume: TrainingCheckpoint | undefined;
  if (options.resumeFrom) {
    resume = decodeCheckpoint(options.resumeFrom);
    const reason = runKeyMismatch(resume.key, key);
    if (reason) throw new CheckpointMismatchError(`cannot resume: ${reason}`);
  }

  const validUsers = splits.flatMap((s, u) => (s.validTarget > 0 ? [u] : []));
  const validInputs = validUsers.map((u) => trains[u] as Int32Array);
  const validTargets = validUsers.map((u) => (splits[u] as { validTarget: number }).validTarget);

  const batching = training.batching;

  const model = createMamba4Rec(config, { seed });
  const optimizer = new Adam({ lr, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 });
  let step = 0;
  let totalSteps = 0;
  const dropoutRng = Rng.derive(seed, 1);
  const shuffleRng = Rng.derive(seed, 2);
  const epochs: EpochReport[] = [];
  let best = { epoch: 0, ndcg: Number.NEGATIVE_INFINITY, valid: {} as Record<string, number>, values: model.snapshot() };
  let firstEpoch = 1;
  if (resume) {
    model.assign(resume.weights);
    optimizer.importState(model.trainableVariables, resume.optimizer);
    step = resume.step;
    totalSteps = resume.totalSteps;
    dropoutRng.setState(resume.rng.dropout);
    shuffleRng.setState(resume.rng.shuffle);
    epochs.push(...resume.epochs);
    best = { epoch: resume.best.epoch, ndcg: resume.best.ndcg, valid: resume.best.valid, values: resume.best.weights };
    // The run had stopped early at its checkpoint: straight to the test.
    firstEpoch = resume.epoch - best.epoch >= patience ? maxEpochs + 1 : resume.epoch + 1;
  }
  const checkpoint = (epoch: number): Uint8Array =>
    encodeCheckpoint({
      key,
      epoch,
      step,
      totalSteps,
      optimizer: optimizer.exportState(model.trainableVariables),
      rng: { dropout: dropoutRng.getState(), shuffle: shuffleRng.getState() },
      best: { epoch: best.epoch, ndcg: best.ndcg, valid: best.valid, weights: best.values },
      weights: model.snapshot(),
      epochs,
    });

  try {
    for (let epoch = firstEpoch; epoch <= maxEpochs; epoch++) {
      const t0 = performance.now();
      const epochSamples =
        objective === 'all-position' && training.crops > 1 ? withRandomCrops(samples, trains, training.crops - 1, config.maxLen, shuffleRng) : samples;
      // `length`: all-position batches fill a token budget; per-prefix ones hold batchSize prefixes
      // (one target each) as random batches do, only of similar length, so none is padded long.
      const perPrefix = objective === 'per-prefix';
      const batches =
        batching === 'random'
          ? randomBatches(epochSamples, batchSize, shuffleRng)
          : lengthBatches(epochSamples, perPrefix ? Number.POSITIVE_INFINITY : batchTokens, shuffleRng, perPrefix ? batchSize : Number.POSITIVE_INFINITY);
      const totalBatches = batches.length;
      if (totalSteps === 0) totalSteps = totalBatches * maxEpochs;
      let lossSum = 0;
      let targetsSeen = 0;
      let batchesDone = 0;
      for (const batch of batches) {
        if (options.signal?.aborted) throw abortError(options.signal);
        if (options.maxTrainTargets !== undefined && targetsSeen >= options.maxTrainTargets) break;
        if (lrSchedule === 'cosine') optimizer.lr = 0.5 * lr * (1 + Math.cos((Math.PI * Math.min(step, totalSteps)) / totalSteps));
        step++;
        const { loss, targets } = trainStep(model, optimizer, trains, epochSamples, batch, objective, dropoutRng);
        if (!Number.isFinite(loss)) throw new Error(`training diverged: loss ${loss} at epoch ${epoch}`);
        lossSum += loss * targets;
        targetsSeen += targets;
        batchesDone++;
        options.onBatch?.(batchesDone, totalBatches);
        await yieldToEventLoop();
      }
      const t1 = performance.now();
      const ranks = evaluateRanks(model, validInputs, validTargets, { batchSize: evalBatchSize, signal: options.signal });
      const valid = rankMetrics(ranks);
      const t2 = performance.now();
      const report: EpochReport = {
        epoch,
        loss: targetsSeen > 0 ? lossSum / targetsSeen : Number.NaN,
        valid,
        seconds: (t2 - t0) / 1000,
        trainSeconds: (t1 - t0) / 1000,
        validSeconds: (t2 - t1) / 1000,
        trainTargets: targetsSeen,
        lr: optimizer.lr,
      };
      epochs.push(report);
      const ndcg = valid['ndcg@10'] ?? 0;
      if (ndcg > best.ndcg) best = { epoch, ndcg, valid, values: model.snapshot() };
      await options.onEpoch?.(report);
      if (options.onCheckpoint) await options.onCheckpoint(epoch, checkpoint(epoch));
      if (epoch - best.epoch >= patience) break;
    }

    model.assign(best.values);
    const testUsers = splits.flatMap((s, u) => (s.testTarget > 0 ? [u] : []));
    const testInputs = testUsers.map((u) => testInput(splits[u] as (typeof splits)[number]));
    const testTargets = testUsers.map((u) => (splits[u] as { testTarget: number }).testTarget);
    const both = evaluateRanksBoth(model, testInputs, testTargets, { batchSize: evalBatchSize, signal: options.signal });
    const test = rankMetrics(both.ranks);
    const testMasked = rankMetrics(both.masked);
    return {
      config,
      training,
      bestEpoch: best.epoch,
      epochs,
      valid: best.valid,
      test,
      testMasked,
      weights: encodeWeights(config, best.values),
      backend,
      parameters: model.parameterCount(),
    };
  } finally {
    model.dispose();
  }
}

/** `batchSize` samples at a time in a random order. */
function randomBatches(samples: Samples, batchSize: number, rng: Rng): Int32Array[] {
  const order = rng.shuffle(new Int32Array(samples.count).map((_, i) => i));
  const batches: Int32Array[] = [];
  for (let b0 = 0; b0 < samples.count; b0 += batchSize) batches.push(order.subarray(b0, Math.min(b0 + batchSize, samples.count)));
  return batches;
}

/**
 * Windows sorted by length (ties in random order), cut into batches of at most `tokens` padded
 * positions (the longest window's length × the windows) and at most `maxCount` windows, then
 * shuffled: every window once per epoch, padding nearly gone, a different grouping of equal
 * lengths every epoch.
 */
export function lengthBatches(samples: Samples, tokens: number, rng: Rng, maxCount = Number.POSITIVE_INFINITY): Int32Array[] {
  const order = rng.shuffle(new Int32Array(samples.count).map((_, i) => i));
  const len = (s: number) => (samples.end[s] as number) - (samples.start[s] as number);
  const rank = new Int32Array(samples.count);
  order.forEach((s, i) => {
    rank[s] = i;
  });
  const sorted = Int32Array.from(order).sort((a, b) => len(b) - len(a) || (rank[a] as number) - (rank[b] as number));
  const batches: Int32Array[] = [];
  for (let i = 0; i < sorted.length; ) {
    const L = len(sorted[i] as number);
    const n = Math.max(1, Math.min(maxCount, Math.floor(tokens / Math.max(1, L))));
    batches.push(sorted.subarray(i, Math.min(i + n, sorted.length)));
    i += n;
  }
  return rng.shuffle(batches);
}

function trainStep(
  model: Mamba4Rec,
  optimizer: Adam,
  trains: Int32Array[],
  samples: Samples,
  batch: Int32Array,
  objective: TrainObjective,
  rng: Rng,
): { loss: number; targets: number } {
  const b = batch.length;
  let L = 0;
  for (const s of batch) L = Math.max(L, (samples.end[s] as number) - (samples.start[s] as number));
  const ids = new Int32Array(L * b);
  const positions: number[] = [];
  const targets: number[] = [];
  batch.forEach((s, j) => {
    const seq = trains[samples.user[s] as number] as Int32Array;
    const start = samples.start[s] as number;
    const len = (samples.end[s] as number) - start;
    for (let t = 0; t < len; t++) ids[t * b + j] = seq[start + t] as number;
  });
  if (objective === 'all-position') {
    for (let t = 0; t < L; t++) {
      batch.forEach((s, j) => {
        const start = samples.start[s] as number;
        if (t < (samples.end[s] as number) - start) {
          positions.push(t * b + j);
          targets.push((trains[samples.user[s] as number] as Int32Array)[start + t + 1] as number);
        }
      });
    }
  } else {
    batch.forEach((s, j) => {
      const len = (samples.end[s] as number) - (samples.start[s] as number);
      positions.push((len - 1) * b + j);
      targets.push((trains[samples.user[s] as number] as Int32Array)[samples.end[s] as number] as number);
    });
  }
  const idsT = tf.tensor2d(ids, [L, b], 'int32');
  const posT = tf.tensor1d(positions, 'int32');
  const tgtT = tf.tensor1d(targets, 'int32');
  try {
    const variables = model.trainableVariables;
    const { value, grads } = tf.variableGrads(() => {
      const h = model.forward(idsT, { training: true, rng, positions: posT });
      return tiedSoftmaxCrossEntropy(h, model.p('item_embedding'), tgtT);
    }, variables);
    const loss = value.dataSync()[0] as number;
    if (Number.isFinite(loss)) optimizer.step(variables, grads);
    value.dispose();
    tf.dispose(grads);
    return { loss, targets: targets.length };
  } finally {
    idsT.dispose();
    posT.dispose();
    tgtT.dispose();
  }
}
