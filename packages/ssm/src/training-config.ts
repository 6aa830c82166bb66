/**
 * How a Mamba4Rec model is trained: one type, one set of defaults. `trainMamba4Rec`, the
 * `ssm.train` job payload (its schema in @kiln/contracts is type-checked against this type) and
 * the benchmarks all resolve their options here. No TensorFlow.js: the API imports it.
 */
export interface TrainingConfig {
  /** Adam learning rate. */
  lr: number;
  /**
   * `constant`, or `cosine`: the rate falls from `lr` to 0 along half a cosine over `maxEpochs`
   * epochs (by step), so a run sized to a time budget ends on a small rate.
   */
  lrSchedule: 'constant' | 'cosine';
  /** Sequences per batch: windows (all-position) or prefixes (per-prefix). */
  batchSize: number;
  maxEpochs: number;
  /** Epochs without a validation NDCG@10 gain before stopping. */
  patience: number;
  /** Seeds initialisation, dropout and shuffling. */
  seed: number;
  /**
   * `all-position`: each user's training items cut into windows of maxLen (from the most recent
   * backwards), loss at every position. `per-prefix` (RecBole): every prefix is a sample, loss at
   * its last position.
   */
  objective: 'all-position' | 'per-prefix';
  /**
   * How samples are grouped into batches. `length`: samples of similar length together, batches
   * in random order. All-position: each batch filled up to batchSize × the mean window length
   * padded positions (the same targets per step on average as `random`, almost no padding: on
   * ML-1M 1.02 M instead of 1.74 M positions per epoch). Per-prefix: batchSize prefixes per batch
   * as with `random`, but of similar length, so none is padded to a long one (ADR 11, issue 15).
   * `random`: `batchSize` samples drawn at random, padded to the longest.
   */
  batching: 'length' | 'random';
  /**
   * All-position only: windows per user per epoch. 1: each user's training items cut into windows
   * once (every target once). More: that, plus crops − 1 windows per user ending at a random
   * position, drawn again every epoch: more steps per epoch, and each target seen in several
   * contexts under several dropout masks, as RecBole's one sample per prefix does (issue 15).
   */
  crops: number;
}

export type TrainObjective = TrainingConfig['objective'];

/**
 * Kiln's preset (docs/adr/0011-ml1m-training-preset.md): all-position cross-entropy in
 * length-grouped batches of 32 windows, Adam at 2e-3 falling to 0 along a cosine over 40 epochs,
 * early stop after 10 epochs without a validation NDCG@10 gain, seed 42.
 */
export const TRAINING_DEFAULTS: Readonly<TrainingConfig> = Object.freeze({
  lr: 2e-3,
  lrSchedule: 'cosine',
  batchSize: 32,
  maxEpochs: 40,
  patience: 10,
  seed: 42,
  objective: 'all-position',
  batching: 'length',
  crops: 1,
});

/** Named starting points for a training config; a request's own fields override the preset's. */
export const TRAINING_PRESETS = Object.freeze({
  /** TRAINING_DEFAULTS. */
  default: TRAINING_DEFAULTS,
  /** The Mamba4Rec paper's own run (RecBole config): lr 1e-3 constant, batches of 256, up to 300 epochs. */
  paper: Object.freeze({ ...TRAINING_DEFAULTS, lr: 1e-3, lrSchedule: 'constant', batchSize: 256, maxEpochs: 300 }),
} satisfies Record<string, Readonly<TrainingConfig>>);

export type TrainingPreset = keyof typeof TRAINING_PRESETS;
export const TRAINING_PRESET_NAMES = Object.keys(TRAINING_PRESETS) as TrainingPreset[];

const KEYS = [
  'lr',
  'lrSchedule',
  'batchSize',
  'maxEpochs',
  'patience',
  'seed',
  'objective',
  'batching',
  'crops',
] as const satisfies readonly (keyof TrainingConfig)[];

/** Fills every default (from `preset`, default 'default') and checks every field; a bad value throws a RangeError naming it. */
export function resolveTrainingConfig(partial: Partial<TrainingConfig> = {}, preset: TrainingPreset = 'default'): TrainingConfig {
  const base = TRAINING_PRESETS[preset];
  if (!base) throw new RangeError(`preset must be one of ${TRAINING_PRESET_NAMES.join(', ')}, got ${String(preset)}`);
  const c = { ...base } as TrainingConfig;
  for (const key of KEYS) if (partial[key] !== undefined) (c as unknown as Record<string, unknown>)[key] = partial[key];
  if (!(c.lr >= 0 && Number.isFinite(c.lr))) throw new RangeError(`training: lr must be a finite number ≥ 0, got ${c.lr}`);
  for (const key of ['batchSize', 'maxEpochs', 'patience', 'crops'] as const) {
    if (!Number.isInteger(c[key]) || c[key] < 1) throw new RangeError(`training: ${key} must be a positive integer, got ${c[key]}`);
  }
  if (!Number.isInteger(c.seed) || c.seed < 0) throw new RangeError(`training: seed must be an integer ≥ 0, got ${c.seed}`);
  const oneOf = <K extends keyof TrainingConfig>(key: K, values: readonly TrainingConfig[K][]) => {
    if (!values.includes(c[key])) throw new RangeError(`training: ${key} must be one of ${values.join(', ')}, got ${String(c[key])}`);
  };
  oneOf('lrSchedule', ['constant', 'cosine']);
  oneOf('objective', ['all-position', 'per-prefix']);
  oneOf('batching', ['length', 'random']);
  return c;
}

/** How an `ssm.score` job ranks: its defaults, owned here like the training config's. */
export interface ScoreConfig {
  /** Items per user. */
  k: number;
  /** Never recommend an item of the user's own history. */
  excludeSeen: boolean;
}

export const SCORE_DEFAULTS: Readonly<ScoreConfig> = Object.freeze({ k: 10, excludeSeen: true });
