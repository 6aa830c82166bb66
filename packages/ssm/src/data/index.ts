export { compareIds } from './compare-ids.js';
export { DatasetEmptyError, DatasetParseError } from './errors.js';
export { type LeaveOneOutSplit, leaveOneOut, testInput } from './leave-one-out.js';
export { readLines } from './lines.js';
export { type ExcludedItems, type RankMetrics, rankMetrics, rankOfTarget } from './metrics.js';
export {
  type DatasetStats,
  type InteractionFormat,
  type ParsedDataset,
  type ParseInteractionsOptions,
  parseInteractions,
} from './parse-interactions.js';
