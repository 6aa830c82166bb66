import type { BackendPreference, EpochReport, TrainOptions, TrainResult } from '@kiln/ssm';

/** Messages between a job's handler (main thread) and its compute thread. */
export type ComputeRequest =
  /** Load TensorFlow.js and choose the backend now, so the first job does not wait for it. */
  | { op: 'warm'; backend?: BackendPreference }
  /** Stop the running request at its next batch (it answers with an AbortError); sent on cancel and shutdown. */
  | { op: 'abort' }
  | {
      op: 'train';
      backend?: BackendPreference;
      sequences: Int32Array[];
      nItems: number;
      options: Omit<TrainOptions, 'signal' | 'onEpoch' | 'onBatch' | 'onCheckpoint' | 'resumeFrom'>;
      /** The run's last checkpoint: training continues after its epoch (a checkpoint of another run is discarded, said in `start`). */
      resumeFrom?: Uint8Array;
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
    }
  /** Every sequence's online state from the empty state (@kiln/ssm/online's prime): answered by one `primed`. */
  | { op: 'prime'; backend?: BackendPreference; config: { nItems: number } & Record<string, unknown>; weights: Uint8Array; sequences: Int32Array[] };

export type ComputeMessage =
  | { type: 'backend'; backend: string; native: { loaded: boolean; reason?: string } }
  /**
   * Training starts: after epoch `resumedFrom` of a checkpoint (0: from scratch), whose epochs'
   * reports are `epochs`; `discarded` says why a given checkpoint was not used.
   */
  | { type: 'start'; resumedFrom: number; epochs: EpochReport[]; discarded?: string }
  | { type: 'epoch'; report: EpochReport }
  /** The run's state at the end of `epoch` (@kiln/ssm's checkpoint format), sent after that epoch's report. */
  | { type: 'checkpoint'; epoch: number; bytes: Uint8Array }
  | { type: 'batch'; done: number; total: number }
  | { type: 'scored'; users: Int32Array; items: Int32Array[]; scores: Float32Array[] }
  /** [users, stateFloats] and [users, hiddenSize]: the states and hidden states after each sequence. */
  | { type: 'primed'; states: Float32Array; hidden: Float32Array; seconds: number; kernel: 'native' | 'reference' }
  | { type: 'done'; result?: TrainResult }
  | { type: 'error'; error: { name: string; message: string; code?: string; details?: unknown; stack?: string } };
