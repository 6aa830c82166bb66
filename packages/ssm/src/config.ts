// @kiln/ssm/config: the model's and training's configuration types, defaults and resolvers, with
// no TensorFlow.js (the API and the job catalog's tests import it).
export { MAMBA4REC_DEFAULTS, type Mamba4RecConfig, type ModelConfig, mambaDims, parameterShapes, resolveMamba4RecConfig } from './model/config.js';
export {
  resolveTrainingConfig,
  SCORE_DEFAULTS,
  type ScoreConfig,
  TRAINING_DEFAULTS,
  TRAINING_PRESET_NAMES,
  TRAINING_PRESETS,
  type TrainingConfig,
  type TrainingPreset,
  type TrainObjective,
} from './training-config.js';
export { estimateTrainingMemory, type TrainingMemoryEstimate, type TrainingMemoryInput, trainingMemoryProblem } from './training-memory.js';
export {
  type DataRule,
  type DatasetShape,
  dataRule,
  lengthPercentile99,
  SPARSE_BELOW,
  SPARSE_DROPOUT,
  SPARSE_EPOCHS,
  TARGETS_PER_BATCH,
} from './data-preset.js';
