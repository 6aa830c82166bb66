export type { Graph, QuboProblem, CsrQubo, QuboInput, QuboTermInput } from './types.js';
export { QuboValidationError, isQuboValidationError, type QuboErrorCode, type QuboErrorDetails } from './errors.js';
export { validateAndBuild, DEFAULT_MAX_N, DEFAULT_MAX_TERMS, type ValidateOptions } from './validate.js';
export { parseGset } from './parse-gset.js';
export { parseBqp } from './parse-bqp.js';
export { parseBiqMacSparse } from './parse-biqmac-sparse.js';
export { parseQuboJson } from './parse-qubo-json.js';
export { graphFromEdges } from './graph.js';
export { maxCutQubo, cutValue } from './max-cut.js';
export { misQubo, type MisQuboOptions } from './mis.js';
export { toCsr } from './csr.js';
export { energy } from './energy.js';
export { localFields, applyFlip } from './local-fields.js';
export { evaluate, repairIndependentSet, type Evaluation } from './evaluate.js';
export { defaultBetaRange } from './beta-range.js';
export { resolveAnnealOptions, betaSchedule, type AnnealOptions, type AnnealProgress, type ResolvedAnnealOptions } from './anneal-options.js';
export { anneal, type AnnealResult, type AnnealRuntime } from './anneal.js';
export { solve, planFor, type QuboSample, type SolveMemberReport, type SolveResult } from './solve.js';
export {
  resolveSolveOptions,
  solveParams,
  SOLVE_DEFAULTS,
  MAX_NUM_READS,
  type ResolvedSolveOptions,
  type SolveEngine,
  type SolveOptions,
  type SolveParams,
  type SolveProgress,
} from './solve-options.js';
export { activeSolverThreads, solveJs, type JsSolveParams, type JsSolveResult } from './solve-js.js';
export {
  planAuto,
  shapeClass,
  candidateMember,
  AUTO_SA,
  AUTO_CANDIDATES,
  SHAPE_CLASSES,
  SOLVE_MODES,
  type AutoCandidate,
  type AutoRule,
  type KernelMode,
  type PlanMember,
  type ShapeClass,
  type SolveMode,
  type SolvePlan,
} from './auto.js';
export { AUTO_RULE, type AutoRuleEntry, type AutoRuleTable } from './auto-rule.js';
export { problemShape, type ProblemShape } from './shape.js';
export { bruteForce } from './brute-force.js';
export { isIsingInput, isingEnergy, isingToQubo, spinsOf, type IsingInput } from './ising.js';
export { deriveSeed, nextFloat, nextU32, seedState } from './rng.js';
export type { TracePoint } from './trace.js';
export { assertCoefficientRange, MAX_ABS_COEFFICIENT, MAX_ABS_OFFSET } from './range.js';
