export { compareIds } from './compare-ids.js';
export { DatasetEmptyError, DatasetParseError, DatasetTooSmallError } from './errors.js';
export { type LeaveOneOutSplit, leaveOneOut, MIN_EVALUATED_USERS, splitCounts, testInput, trainableProblem } from './leave-one-out.js';
export { readLines } from './lines.js';
export { type ExcludedItems, type RankMetrics, rankMetrics, rankOfTarget } from './metrics.js';
export {
  type DatasetStats,
  type InteractionFormat,
  type ParsedDataset,
  type ParseInteractionsOptions,
  parseInteractions,
} from './parse-interactions.js';
