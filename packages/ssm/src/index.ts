export * from './data/index.js';
export { type BackendInfo, type BackendPreference, backendInfo, ensureBackend, initBackend } from './backend.js';
export { evaluateRanks, evaluateRanksBoth } from './evaluate.js';
export * from './config.js';
export { countParameters, createMamba4Rec, type ForwardOptions, Mamba4Rec, parameterShapes } from './model/mamba4rec.js';
export { Adam, type AdamOptions, type AdamState } from './model/adam.js';
export { decodeCheckpoint, encodeCheckpoint, readCheckpointHeader, type RunKey, type TrainingCheckpoint } from './model/checkpoint.js';
export { Rng, type RngState } from './model/rng.js';
export { selectiveScan, selectiveScanTimeMajor } from './model/selective-scan.js';
export { decodeWeights, encodeWeights, loadMamba4Rec, readWeightsHeader, serializeWeights } from './model/weights.js';
export { type ScoreTopKOptions, scoreTopK, type TopK, topK } from './score.js';
export {
  CheckpointMismatchError,
  checkpointMismatch,
  type EpochReport,
  type TrainingData,
  type TrainOptions,
  type TrainResult,
  trainingTargetsPerEpoch,
  trainMamba4Rec,
} from './train.js';
export * from './online/index.js';
