/** What each job kind returns (stored as the job row's result and BullMQ's return value). */
export interface SsmTrainResult {
  modelId: string;
  modelVersion: number;
  bestEpoch: number;
  epochs: number;
  valid: Record<string, number>;
  test: Record<string, number>;
  testMasked: Record<string, number>;
  backend: string;
  parameters: number;
  seconds: number;
}

export interface SsmScoreResult {
  modelId: string;
  users: number;
  k: number;
  excludeSeen: boolean;
  seconds: number;
}

export interface QuboSolveResult {
  solutionId: string;
  kind: 'qubo' | 'maxcut' | 'mis';
  n: number;
  energy: number;
  /** The problem-level objective: cut size (Max-Cut), set size after repair (MIS), the file's own objective (bqp), or the energy. */
  value: number;
  feasible: boolean;
  timeToBestMs: number;
  elapsedMs: number;
  flipAttempts: number;
  mode: string;
}

/** The progress a job reports (BullMQ progress and the job row). */
export type JobProgress =
  | {
      kind: 'ssm.train';
      epoch: number;
      maxEpochs: number;
      loss?: number;
      valid?: Record<string, number>;
      seconds?: number;
      bestEpoch?: number;
      batch?: number;
      batches?: number;
    }
  | { kind: 'ssm.score'; done: number; total: number }
  | { kind: 'qubo.solve'; elapsedMs: number; bestEnergy: number; sweeps: number };
