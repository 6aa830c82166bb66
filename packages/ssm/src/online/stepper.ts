import { type KilnNative, loadNative, type OnlineModelHandle } from '@kiln/kernels';
import type { Mamba4RecConfig } from '../model/config.js';
import { type TopK, topK } from '../top-k.js';
import { type OnlineDims, onlineDims, orderedParameters } from './layout.js';
import { ReferenceStepper } from './reference.js';

/**
 * One model's recurrent form: advance a user's state by new items, score a hidden state against
 * every item. The native kernel (single-threaded, kernels/online.h) where the addon is built, the
 * JavaScript reference otherwise.
 */
export interface OnlineStepper {
  readonly dims: OnlineDims;
  /** 'native' (the addon) or 'reference' (JavaScript). */
  readonly kind: 'native' | 'reference';
  /** A zero state: a user with no events. */
  emptyState(): Float32Array;
  /** Feeds `items` (dense ids 1..nItems, oldest first) to `state` in place; returns the hidden state after the last (null when `items` is empty). */
  advance(state: Float32Array, items: Int32Array): Float32Array | null;
  /** Top-k items of a hidden state, best first (ties by lower id), never padding nor `exclude`. */
  topK(hidden: Float32Array, k: number, exclude?: Int32Array): TopK;
  /**
   * Every user's state and hidden state after their whole sequence, from the empty state
   * ([users, stateFloats] and [users, hiddenSize]; a user with no items keeps zeros). Native: all cores.
   */
  prime(sequences: readonly Int32Array[]): { states: Float32Array; hidden: Float32Array };
}

export interface StepperOptions {
  /** 'auto' (default): native when the addon loads. */
  kernel?: 'auto' | 'native' | 'reference';
}

export function createStepper(config: Mamba4RecConfig, params: ReadonlyMap<string, Float32Array>, options: StepperOptions = {}): OnlineStepper {
  const kernel = options.kernel ?? 'auto';
  const native = kernel === 'reference' ? null : loadNative();
  if (kernel === 'native' && native === null) throw new Error('createStepper: the native addon is not built (npm run setup)');
  return native ? new NativeStepper(native, config, params) : new JsStepper(config, params);
}

class NativeStepper implements OnlineStepper {
  readonly kind = 'native';
  readonly dims: OnlineDims;
  private readonly handle: OnlineModelHandle;
  private readonly hidden: Float32Array;

  constructor(
    private readonly native: KilnNative,
    config: Mamba4RecConfig,
    params: ReadonlyMap<string, Float32Array>,
  ) {
    const d = onlineDims(config);
    this.dims = d;
    this.handle = native.ssmModel(d.layers, d.hidden, d.dInner, d.dState, d.dConv, d.dtRank, d.vocab, orderedParameters(config, params));
    this.hidden = new Float32Array(d.hidden);
  }

  emptyState(): Float32Array {
    return new Float32Array(this.dims.stateFloats);
  }

  advance(state: Float32Array, items: Int32Array): Float32Array | null {
    if (state.length !== this.dims.stateFloats) throw new RangeError(`state has ${state.length} floats, the model needs ${this.dims.stateFloats}`);
    if (items.length === 0) return null;
    this.native.ssmAdvance(this.handle, state, items, this.hidden);
    return this.hidden.slice();
  }

  topK(hidden: Float32Array, k: number, exclude?: Int32Array): TopK {
    if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`);
    const items = new Int32Array(k);
    const scores = new Float32Array(k);
    const n = this.native.ssmTopK(this.handle, hidden, k, exclude ?? null, items, scores);
    return n === k ? { items, scores } : { items: items.slice(0, n), scores: scores.slice(0, n) };
  }

  prime(sequences: readonly Int32Array[]): { states: Float32Array; hidden: Float32Array } {
    const users = sequences.length;
    const offsets = new Int32Array(users + 1);
    for (let u = 0; u < users; u++) offsets[u + 1] = (offsets[u] as number) + (sequences[u] as Int32Array).length;
    const items = new Int32Array(offsets[users] as number);
    for (let u = 0; u < users; u++) items.set(sequences[u] as Int32Array, offsets[u] as number);
    const states = new Float32Array(users * this.dims.stateFloats);
    const hidden = new Float32Array(users * this.dims.hidden);
    this.native.ssmPrime(this.handle, users, offsets, items, states, hidden);
    return { states, hidden };
  }
}

class JsStepper implements OnlineStepper {
  readonly kind = 'reference';
  readonly dims: OnlineDims;
  private readonly ref: ReferenceStepper;
  private readonly excluded: Uint8Array;

  constructor(config: Mamba4RecConfig, params: ReadonlyMap<string, Float32Array>) {
    this.ref = new ReferenceStepper(config, params);
    this.dims = this.ref.dims;
    this.excluded = new Uint8Array(this.dims.vocab);
  }

  emptyState(): Float32Array {
    return this.ref.emptyState();
  }

  advance(state: Float32Array, items: Int32Array): Float32Array | null {
    return this.ref.advance(state, items);
  }

  topK(hidden: Float32Array, k: number, exclude?: Int32Array): TopK {
    if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`);
    const scores = this.ref.scores(hidden);
    const V = this.dims.vocab;
    if (exclude) for (const i of exclude) if (i > 0 && i < V) this.excluded[i] = 1;
    const out = topK(scores, k, this.excluded);
    if (exclude) for (const i of exclude) if (i > 0 && i < V) this.excluded[i] = 0;
    return out;
  }

  prime(sequences: readonly Int32Array[]): { states: Float32Array; hidden: Float32Array } {
    const { stateFloats: S, hidden: H } = this.dims;
    const states = new Float32Array(sequences.length * S);
    const hidden = new Float32Array(sequences.length * H);
    sequences.forEach((seq, u) => {
      const h = this.ref.advance(states.subarray(u * S, (u + 1) * S), seq);
      if (h) hidden.set(h, u * H);
    });
    return { states, hidden };
  }
}
