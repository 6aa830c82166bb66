import { z } from 'zod';

// The shapes of `ssm.train` and `ssm.score`. The resolved forms are type-checked against
// @kiln/ssm's own (ModelConfig, TrainingConfig, ScoreConfig; services/api/src/catalog.test.ts);
// the defaults live there, and the API fills them in (`prepare`). Bounds here are the API's limits.

const int = (min: number, max: number) => z.number().int().min(min).max(max);
const seed = int(0, 2 ** 31 - 1);

/** Mamba4Rec's hyper-parameters, every one set (what a payload carries). */
export const ModelConfig = z
  .object({
    hiddenSize: int(4, 1024).describe('Embedding and model width.'),
    numLayers: int(1, 8).describe('Mamba layers.'),
    dState: int(1, 256).describe("The SSM's state size per channel."),
    dConv: int(1, 16).describe('Causal convolution width.'),
    expand: int(1, 8).describe('Inner width = expand × hiddenSize.'),
    dropout: z.number().min(0).max(0.9),
    maxLen: int(2, 1000).describe('Most recent items a sequence keeps.'),
  })
  .strict();
export type ModelConfig = z.infer<typeof ModelConfig>;

/** Training settings, every one set (what a payload carries). */
export const TrainingConfig = z
  .object({
    lr: z.number().positive().max(1).describe('Adam learning rate.'),
    lrSchedule: z.enum(['constant', 'cosine']).describe('cosine: from lr to 0 over maxEpochs.'),
    batchSize: int(1, 65536).describe('Windows (all-position) or prefixes (per-prefix) per batch.'),
    maxEpochs: int(1, 1000),
    patience: int(1, 1000).describe('Epochs without a validation NDCG@10 gain before stopping.'),
    seed,
    objective: z.enum(['all-position', 'per-prefix']),
    // Added after version 1: optional in a payload, so a job queued before it still parses (absent = the library default).
    batching: z.enum(['length', 'random']).optional().describe('length: samples of similar length batched together (less padding); random: drawn at random.'),
    crops: int(1, 64)
      .optional()
      .describe('All-position only: windows per user per epoch (1: each target once; more: extra windows ending at random positions, drawn every epoch).'),
  })
  .strict();
export type TrainingConfig = z.infer<typeof TrainingConfig>;

export const TRAINING_PRESET_NAMES = ['default', 'paper'] as const;

export const SsmTrainRequest = z
  .object({
    version: z.literal(1).optional(),
    datasetId: z.uuid().describe('An uploaded dataset (POST /v1/datasets).'),
    name: z.string().min(1).max(200).optional().describe('The model name (default mamba4rec-<dataset name>).'),
    preset: z
      .enum(TRAINING_PRESET_NAMES)
      .optional()
      .describe(
        "Where the defaults come from: 'default' (Kiln's preset, ADR 11, with maxLen, dropout, batchSize and maxEpochs from the dataset's shape) or 'paper' (the Mamba4Rec paper's run).",
      ),
    model: ModelConfig.partial().optional().describe("Any of the model's hyper-parameters; the rest take the defaults."),
    training: TrainingConfig.partial().optional().describe('Any training setting; the rest come from the preset.'),
  })
  .strict();
export type SsmTrainRequest = z.input<typeof SsmTrainRequest>;

export const SsmTrainPayload = z
  .object({
    version: z.literal(1),
    datasetId: z.uuid(),
    name: z.string().min(1).max(200).optional(),
    model: ModelConfig,
    training: TrainingConfig,
  })
  .strict();
export type SsmTrainPayload = z.infer<typeof SsmTrainPayload>;

const Metrics = z.record(z.string(), z.number()).describe('hr@K, ndcg@K, mrr@K for K = 5, 10, 20.');

export const SsmTrainResult = z.object({
  modelId: z.uuid(),
  modelVersion: z.number().int(),
  bestEpoch: z.number().int(),
  epochs: z.number().int(),
  valid: Metrics,
  test: Metrics.describe('Test metrics with the best epoch’s weights, full ranking, history not masked (the paper’s protocol).'),
  testMasked: Metrics.describe('The same with each user’s history excluded from the ranking.'),
  backend: z.string(),
  parameters: z.number().int(),
  seconds: z.number(),
});
export type SsmTrainResult = z.infer<typeof SsmTrainResult>;

export const SsmTrainProgress = z.object({
  kind: z.literal('ssm.train'),
  epoch: z.number().int().describe('Epochs finished.'),
  maxEpochs: z.number().int(),
  loss: z.number().optional(),
  valid: Metrics.optional(),
  seconds: z.number().optional(),
  bestEpoch: z.number().int().optional(),
  batch: z.number().int().optional().describe('Batches done in the running epoch.'),
  batches: z.number().int().optional(),
});
export type SsmTrainProgress = z.infer<typeof SsmTrainProgress>;

const Users = z.union([z.literal('all'), z.array(z.string().min(1).max(200)).min(1).max(1_000_000)]);

export const SsmScoreRequest = z
  .object({
    version: z.literal(1).optional(),
    modelId: z.uuid().describe('A trained model (GET /v1/models).'),
    users: Users.optional().describe("'all' (default) or a list of the dataset's user ids."),
    k: int(1, 1000).optional().describe('Items per user (default 10).'),
    excludeSeen: z.boolean().optional().describe("Never recommend an item of the user's history (default true)."),
  })
  .strict();
export type SsmScoreRequest = z.input<typeof SsmScoreRequest>;

export const SsmScorePayload = z.object({ version: z.literal(1), modelId: z.uuid(), users: Users, k: int(1, 1000), excludeSeen: z.boolean() }).strict();
export type SsmScorePayload = z.infer<typeof SsmScorePayload>;

export const SsmScoreResult = z.object({
  modelId: z.uuid(),
  users: z.number().int(),
  k: z.number().int(),
  excludeSeen: z.boolean(),
  seconds: z.number(),
});
export type SsmScoreResult = z.infer<typeof SsmScoreResult>;

export const SsmScoreProgress = z.object({ kind: z.literal('ssm.score'), done: z.number().int(), total: z.number().int() });
export type SsmScoreProgress = z.infer<typeof SsmScoreProgress>;

export const SsmPrimeRequest = z
  .object({
    version: z.literal(1).optional(),
    modelId: z.uuid().describe('A trained model (GET /v1/models).'),
    datasetId: z.uuid().optional().describe("Whose histories to replay (default the model's own dataset); items the model does not know are skipped."),
  })
  .strict();
export type SsmPrimeRequest = z.input<typeof SsmPrimeRequest>;

export const SsmPrimePayload = z.object({ version: z.literal(1), modelId: z.uuid(), datasetId: z.uuid() }).strict();
export type SsmPrimePayload = z.infer<typeof SsmPrimePayload>;

export const SsmPrimeResult = z.object({
  modelId: z.uuid(),
  datasetId: z.uuid(),
  users: z.number().int().describe('Users whose online state was written.'),
  skippedItems: z.number().int().describe("Interactions with items the model does not know (another dataset's), left out."),
  stateBytesPerUser: z.number().describe('Mean stored bytes per user.'),
  computeSeconds: z.number(),
  seconds: z.number(),
});
export type SsmPrimeResult = z.infer<typeof SsmPrimeResult>;

export const SsmPrimeProgress = z.object({ kind: z.literal('ssm.prime'), done: z.number().int(), total: z.number().int() });
export type SsmPrimeProgress = z.infer<typeof SsmPrimeProgress>;
