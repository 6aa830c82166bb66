/**
 * Defaults that fit the data set (issue 15): the fields of the model and the training that the
 * data's shape decides, read from its statistics by a rule with the measurements behind it in
 * docs/adr/0011-ml1m-training-preset.md ("Defaults from the data"). No TensorFlow.js: the API's
 * preparer applies it to every `ssm.train` job with the default preset, and the benchmarks do
 * the same.
 */
import type { ModelConfig } from './model/config.js';
import type { TrainingConfig } from './training-config.js';

/** What the rule reads of a data set. */
export interface DatasetShape {
  users: number;
  items: number;
  interactions: number;
  /** The 99th percentile of the users' sequence lengths (whole histories). */
  lengthP99: number;
}

/** The fields the rule decides, and why (one line each, for the job's log and the docs). */
export interface DataRule {
  model: Pick<ModelConfig, 'maxLen' | 'dropout'>;
  training: Pick<TrainingConfig, 'batchSize' | 'maxEpochs'>;
  reasons: string[];
}

/**
 * Targets per Adam step the rule aims at (about; batches hold whole windows). On ML-1M 32 windows
 * (≈ 4,400 targets) cost the same per epoch as 64, and 16 windows cost 8% more (ADR 11), so the
 * floor of 32 windows keeps dense data where it was. On sparse data more steps per epoch pay: on
 * Toys (validation NDCG@10, 20 epochs, seed 1) 128 windows (≈ 850 targets) 0.0572, 256 windows
 * 0.0565, 309 windows (2,048 targets) 0.0542, at 8-10 s per epoch either way. 1,024 targets is
 * 155 windows on Toys, 162 on Sports.
 */
export const TARGETS_PER_BATCH = 1024;
/** Mean training items per user below which the data counts as sparse (ML-1M: 163; the Amazon files: 6-7). */
export const SPARSE_BELOW = 20;

/**
 * Dropout on sparse data: the dense preset's 0.2. Higher dropout is the usual advice for these
 * files (Mamba4Rec's issue #8 suggests 0.4), but on Sports 0.4 ended lower on validation (NDCG@10
 * 0.0257 against 0.028 with 0.2, 20 epochs, seed 1).
 */
export const SPARSE_DROPOUT = 0.2;
/**
 * The cosine's length on sparse data: validation NDCG@10 stops rising by epoch 12-15 of 20 on
 * Toys and 10-14 on Sports while the loss still falls, and 20 epochs fit 10 minutes on 2 cores
 * (Toys 3-4 min, Sports 7 min).
 */
export const SPARSE_EPOCHS = 20;

/** The rule. Deterministic, monotone in its inputs, and ML-1M gets exactly ADR 11's preset. */
export function dataRule(shape: DatasetShape): DataRule {
  const users = Math.max(1, shape.users);
  // Leave-one-out keeps the last two items of each user for validation and test.
  const trainLen = Math.max(1, shape.interactions / users - 2);
  // Context past the 99th percentile serves 1% of users; below 50 a window saves nothing
  // (length-grouped batches barely pad), and 200 is Mamba4Rec's (and the memory estimate's) cap.
  const maxLen = Math.min(200, Math.max(50, Math.ceil(shape.lengthP99 / 10) * 10));
  const window = Math.min(trainLen, maxLen);
  const batchSize = Math.min(1024, Math.max(32, Math.round(TARGETS_PER_BATCH / window)));
  const sparse = trainLen < SPARSE_BELOW;
  const dropout = sparse ? SPARSE_DROPOUT : 0.2;
  const maxEpochs = sparse ? SPARSE_EPOCHS : 40;
  return {
    model: { maxLen, dropout },
    training: { batchSize, maxEpochs },
    reasons: [
      `maxLen ${maxLen}: the 99th percentile of sequence lengths (${shape.lengthP99}), rounded up to 10, within 50..200`,
      `batchSize ${batchSize}: about ${TARGETS_PER_BATCH} targets per step at ${window.toFixed(1)} training items per window, within 32..1024`,
      sparse
        ? `dropout ${dropout}, maxEpochs ${maxEpochs}: sparse data (${trainLen.toFixed(1)} training items per user < ${SPARSE_BELOW}) stops gaining on validation early`
        : `dropout ${dropout}, maxEpochs ${maxEpochs}: dense data (${trainLen.toFixed(1)} training items per user), ADR 11's preset`,
    ],
  };
}

/** The 99th percentile of a list of lengths (nearest rank), as Postgres' percentile_disc(0.99) gives it. */
export function lengthPercentile99(lengths: Iterable<number>): number {
  const xs = Float64Array.from(lengths).sort();
  if (xs.length === 0) return 0;
  return xs[Math.max(0, Math.ceil(0.99 * xs.length) - 1)] as number;
}
