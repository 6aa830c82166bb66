import type { BackendPreference, EpochReport, TrainOptions, TrainResult } from '@kiln/ssm';

/** Messages between a job's handler (main thread) and its compute thread. */
export type ComputeRequest =
  /** Load TensorFlow.js and choose the backend now, so the first job does not wait for it. */
  | { op: 'warm'; backend?: BackendPreference }
  | {
      op: 'train';
      backend?: BackendPreference;
      sequences: Int32Array[];
      nItems: number;
      options: Omit<TrainOptions, 'signal' | 'onEpoch' | 'onBatch'>;
    }
  | {
      op: 'score';
      backend?: BackendPreference;
      config: { nItems: number } & Record<string, unknown>;
      weights: Uint8Array;
      inputs: Int32Array[];
      /** Position of each input in the job's user list (echoed back with its result). */
      users: Int32Array;
      k: number;
      excludeSeen: boolean;
      chunk: number;
    };

export type ComputeMessage =
  | { type: 'backend'; backend: string; native: { loaded: boolean; reason?: string } }
  | { type: 'epoch'; report: EpochReport }
  | { type: 'batch'; done: number; total: number }
  | { type: 'scored'; users: Int32Array; items: Int32Array[]; scores: Float32Array[] }
  | { type: 'done'; result?: TrainResult }
  | { type: 'error'; error: { name: string; message: string; code?: string; details?: unknown; stack?: string } };
