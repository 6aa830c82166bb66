import { countParameters, type ModelConfig, mambaDims, resolveMamba4RecConfig } from './model/config.js';
import { resolveTrainingConfig, type TrainingConfig } from './training-config.js';

export interface TrainingMemoryInput {
  model?: Partial<ModelConfig>;
  training?: Partial<TrainingConfig>;
  /** Items of the dataset (the embedding and the softmax have nItems + 1 rows). */
  nItems: number;
  /** The longest user history, when known: windows are never longer (default: the model's maxLen). */
  maxSequenceLength?: number;
  /** Users and interactions of the dataset, when known (the sequences and samples held in memory). */
  dataset?: { users: number; interactions: number };
  /** Users per evaluation batch (trainMamba4Rec's evalBatchSize, default 256). */
  evalBatchSize?: number;
}

export interface TrainingMemoryEstimate {
  /** Estimated peak resident memory of a worker process training this job (bytes). */
  bytes: number;
  /** Where it goes (bytes): the sum is `bytes`. */
  parts: { base: number; parameters: number; training: number; evaluation: number; slack: number; data: number };
  /** The largest part and the settings that shrink it, in words (for an error message). */
  advice: string;
}

const F32 = 4;
const MiB = 2 ** 20;

/**
 * Estimated peak resident memory (bytes) of a worker-ssm process that trains one model with this
 * configuration on the `kiln` backend, from the configuration and the dataset's size alone (no
 * TensorFlow.js). The parts:
 *
 * - base: Node, TensorFlow.js and the addon in the worker's main and compute threads (an idle
 *   worker-ssm with a warm thread: 260-270 MB resident);
 * - parameters: weights, Adam's two moments, the best epoch's snapshot and the gradients' copy
 *   (5 copies of the parameters), and each epoch's checkpoint on its way to Postgres (encoded in
 *   the thread, moved to the main thread, hex-encoded by node-postgres: another ~10 copies, briefly),
 *   all dominated by the (nItems + 1) × hidden item embedding;
 * - training: one batch's activations and gradients: per padded position and layer about
 *   53·hidden + 21·dInner + 11·dState floats (measured, the pool's peak live bytes of one step),
 *   plus three [nItems + 1, hidden] gradients of the tied embedding. A batch has at most
 *   batchSize × maxLen positions; length-grouped batches batchSize × the mean window. The softmax
 *   over all items never holds [positions, nItems + 1] logits (the fused cross-entropy walks row
 *   blocks), so it costs no per-item memory per position;
 * - evaluation: one batch of min(256, users) users × maxLen positions through the forward pass,
 *   its intermediates held until the batch's scores are out: per position about 2.5·hidden +
 *   7.4·dInner + 7·dState floats for the last layer and 20·hidden more for each other layer (which
 *   runs its feed-forward at every position), plus the [users, nItems + 1] scores and the
 *   transposed embedding;
 * - slack: the kiln backend keeps up to 1 GiB of released buffers for reuse, so the training and
 *   evaluation working sets add up rather than take turns, and the more batch shapes a run goes
 *   through (more users, more epochs) the more of that pool it holds: 1.5 × the live sum (at most
 *   1 GiB), of which 30 % for 1,000 users or fewer, all of it from 6,000 users (ML-1M);
 * - data: the dataset as loaded in the main thread and its copy, splits and windows in the thread.
 *
 * Calibrated on this kind of machine (2 cores) against the peak RSS (VmHWM) of 16 runs of
 * `bench/ssm-memory.ts` (the table is in docs/adr/0014-resumable-training.md): from 2 % under to
 * 57 % over every measured peak; ML-1M's default job (3 epochs, checkpoints) peaked at 1,160 MB
 * in the probe, 1,281 MB estimated for the probe, 1,343 MB for a worker-ssm.
 */
export function estimateTrainingMemory(input: TrainingMemoryInput): TrainingMemoryEstimate {
  const config = resolveMamba4RecConfig({ ...input.model, nItems: input.nItems });
  const training = resolveTrainingConfig(input.training ?? {});
  const H = config.hiddenSize;
  const { dInner } = mambaDims(config);
  const N = config.dState;
  const layers = config.numLayers;
  const V = config.nItems + 1;
  const longest = Math.max(1, Math.min(config.maxLen, input.maxSequenceLength ?? config.maxLen));
  const users = input.dataset?.users;

  // Training positions per batch: length-grouped windows fill batchSize × the mean window (≥ maxLen);
  // random batches and per-prefix samples pad batchSize sequences to the longest.
  let trainPositions = training.batchSize * longest;
  if (input.dataset && users && training.objective === 'all-position' && training.batching === 'length') {
    const train = Math.max(1, input.dataset.interactions / users - 3);
    const meanWindow = train / Math.ceil(train / config.maxLen);
    trainPositions = Math.max(config.maxLen, Math.min(trainPositions, training.batchSize * meanWindow));
  }
  const evalUsers = Math.min(input.evalBatchSize ?? 256, users ?? Number.POSITIVE_INFINITY);
  const evalPositions = evalUsers * longest;

  const params = countParameters(config);
  const trainLive = (trainPositions * (6 * H + layers * (53 * H + 21 * dInner + 11 * N)) + 3 * V * H) * F32;
  const lastLayer = 2.5 * H + 7.4 * dInner + 7 * N;
  const evalLive = (evalPositions * (lastLayer + (layers - 1) * (lastLayer + 20 * H)) + 1.25 * evalUsers * V + V * H) * F32;
  const live = trainLive + evalLive;
  const share = users === undefined ? 1 : Math.min(1, Math.max(0.3, users / 6000));
  const parts = {
    base: BASE_BYTES,
    parameters: 15 * params * F32,
    training: trainLive,
    evaluation: evalLive,
    slack: share * Math.min(POOL_BYTES, 1.5 * live),
    data: input.dataset ? 40 * input.dataset.interactions + 200 * input.dataset.users : 0,
  };
  const bytes = Object.values(parts).reduce((a, b) => a + b, 0);
  return { bytes, parts, advice: advice(parts, config.nItems) };
}

/**
 * Why a training job does not fit in `budgetBytes` (undefined: it fits): a message with the
 * estimate, the budget and what to reduce, and the figures as details. The API refuses such a job
 * at submit and worker-ssm again on receipt (KILN_ERR_RESOURCE_LIMIT).
 */
export function trainingMemoryProblem(
  input: TrainingMemoryInput,
  budgetBytes: number,
): { message: string; details: { estimateBytes: number; budgetBytes: number; parts: TrainingMemoryEstimate['parts'] } } | undefined {
  const estimate = estimateTrainingMemory(input);
  if (estimate.bytes <= budgetBytes) return undefined;
  const mb = (n: number) => `${Math.round(n / MiB)} MB`;
  return {
    message: `training would need about ${mb(estimate.bytes)}, more than the ${mb(budgetBytes)} a worker-ssm job may use (KILN_SSM_MEMORY_MB): ${estimate.advice}`,
    details: { estimateBytes: Math.round(estimate.bytes), budgetBytes, parts: estimate.parts },
  };
}

function advice(parts: TrainingMemoryEstimate['parts'], nItems: number): string {
  const largest = (Object.entries(parts) as [keyof TrainingMemoryEstimate['parts'], number][]).filter(([k]) => k !== 'base').sort((a, b) => b[1] - a[1])[0];
  const mb = (n: number) => `${Math.round(n / MiB)} MB`;
  switch (largest?.[0]) {
    case 'parameters':
      return `the parameters (${mb(parts.parameters)}, mostly the ${nItems + 1}-row item embedding) dominate: reduce model.hiddenSize or the number of items (a higher kcore at upload)`;
    case 'training':
      return `a training batch's activations (${mb(parts.training)}) dominate: reduce training.batchSize, model.maxLen, model.hiddenSize, model.expand, model.dState or model.numLayers`;
    case 'evaluation':
      return `evaluation (${mb(parts.evaluation)}: up to 256 users' forward pass and their scores over all items) dominates: reduce model.maxLen, model.hiddenSize, model.expand, model.numLayers or the number of items`;
    default:
      return `the dataset (${mb(parts.data)}) dominates: upload fewer interactions`;
  }
}

/** worker-ssm idle with one warm compute thread: 261-271 MB measured. */
const BASE_BYTES = 280 * MiB;
/** The kiln backend's pool of released buffers keeps at most this much. */
const POOL_BYTES = 1024 * MiB;
