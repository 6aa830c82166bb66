import * as tf from '@tensorflow/tfjs-core';
import { type Mamba4RecConfig, mambaDims, parameterShapes, resolveMamba4RecConfig } from './config.js';
import { causalConv1d, dropout, gatherRows, gelu, layerNorm, linear, silu, softplus } from './ops.js';
import { Rng } from './rng.js';
import { selectiveScanTimeMajor } from './selective-scan.js';

export { parameterShapes } from './config.js';

/** Initial values: Linear/Embedding N(0, 0.02²), biases 0, conv U(±1/√K), A_log = log(1..N), D = 1, LayerNorm 1/0. */
function initialValue(name: string, shape: number[], rng: Rng): Float32Array {
  const size = shape.reduce((a, b) => a * b, 1);
  const v = new Float32Array(size);
  const last = name.slice(name.lastIndexOf('.') + 1);
  if (name.endsWith('.A_log')) {
    const N = shape[1] as number;
    for (let i = 0; i < size; i++) v[i] = Math.log((i % N) + 1);
  } else if (name.endsWith('.D') || last === 'gamma') {
    v.fill(1);
  } else if (last === 'beta' || last === 'b1' || last === 'b2' || name.endsWith('dt_proj.bias')) {
    // zeros
  } else {
    for (let i = 0; i < size; i++) v[i] = 0.02 * rng.normal();
  }
  return v;
}

export interface ForwardOptions {
  /** Training mode: dropout active, masks drawn from `rng`. */
  training?: boolean;
  rng?: Rng;
  /**
   * Flattened time-major positions (t·batch + b) whose hidden state is wanted; default every
   * position. Work after the last selective scan is done only at these positions.
   */
  positions?: tf.Tensor1D;
}

/** A Mamba4Rec model: its configuration and one tf.Variable per parameter. */
export class Mamba4Rec {
  readonly config: Mamba4RecConfig;
  readonly params: Map<string, tf.Variable>;

  constructor(config: Mamba4RecConfig, values: Map<string, Float32Array>) {
    this.config = config;
    this.params = new Map();
    for (const [name, shape] of parameterShapes(config)) {
      const v = values.get(name);
      if (v === undefined) throw new Error(`Mamba4Rec: missing parameter ${name}`);
      const size = shape.reduce((a, b) => a * b, 1);
      if (v.length !== size) throw new Error(`Mamba4Rec: parameter ${name} has ${v.length} values, expected ${size}`);
      const init = tf.tensor(v, shape, 'float32');
      this.params.set(name, tf.variable(init, true, undefined, 'float32'));
      init.dispose();
    }
  }

  /** Number of scalar parameters. */
  parameterCount(): number {
    let n = 0;
    for (const v of this.params.values()) n += v.size;
    return n;
  }

  get trainableVariables(): tf.Variable[] {
    return [...this.params.values()];
  }

  p<R extends tf.Rank>(name: string): tf.Tensor<R> {
    const v = this.params.get(name);
    if (v === undefined) throw new Error(`Mamba4Rec: no parameter ${name}`);
    return v as unknown as tf.Tensor<R>;
  }

  /** Current parameter values (copies). */
  snapshot(): Map<string, Float32Array> {
    const out = new Map<string, Float32Array>();
    for (const [name, v] of this.params) out.set(name, v.dataSync() as Float32Array);
    return out;
  }

  /** Overwrites the parameters with `values` (same names and sizes). */
  assign(values: Map<string, Float32Array>): void {
    for (const [name, v] of this.params) {
      const src = values.get(name);
      if (src === undefined) throw new Error(`Mamba4Rec: missing parameter ${name}`);
      tf.tidy(() => v.assign(tf.tensor(src, v.shape, 'float32')));
    }
  }

  dispose(): void {
    for (const v of this.params.values()) v.dispose();
    this.params.clear();
  }

  /**
   * Hidden states of a time-major, right-padded batch of item ids [L, batch] (0 = padding):
   * [positions, hiddenSize] (or [L·batch, hiddenSize] without `positions`).
   */
  forward(ids: tf.Tensor2D, options: ForwardOptions = {}): tf.Tensor2D {
    const { config } = this;
    const rate = options.training ? config.dropout : 0;
    const rng = options.training ? options.rng : undefined;
    const [L, batch] = ids.shape;
    const H = config.hiddenSize;
    const flatIds = tf.reshape(ids, [-1]) as tf.Tensor1D;
    let x: tf.Tensor = gatherRows(this.p('item_embedding'), flatIds);
    x = layerNorm(dropout(x, rate, rng), this.p('emb_ln.gamma'), this.p('emb_ln.beta'));
    x = tf.reshape(x, [L, batch, H]);
    for (let l = 0; l < config.numLayers; l++) {
      const last = l === config.numLayers - 1;
      const at = last ? options.positions : undefined;
      const m = this.mambaBlock(l, x as tf.Tensor3D, at);
      let h = dropout(m, rate, rng);
      const x2d = tf.reshape(x, [-1, H]) as tf.Tensor2D;
      if (config.numLayers > 1) h = tf.add(h, at === undefined ? x2d : pickRows(x2d, at));
      h = layerNorm(h, this.p(`layers.${l}.ln.gamma`), this.p(`layers.${l}.ln.beta`));
      const out = this.feedForward(l, h, rate, rng);
      x = last ? out : tf.reshape(out, [L, batch, H]);
    }
    return x as tf.Tensor2D;
  }

  /** One Mamba block on x [L, batch, H] → [L·batch, H] (or [positions, H]). */
  private mambaBlock(l: number, x: tf.Tensor3D, positions: tf.Tensor1D | undefined): tf.Tensor2D {
    const p = `layers.${l}.mamba`;
    const { config } = this;
    const { dInner, dtRank } = mambaDims(config);
    const N = config.dState;
    // in_proj's two halves as two products: splitting the [L, batch, 2·dInner] output instead would
    // copy it, and its gradient would concatenate the two halves again.
    const [wx, wz] = tf.split(this.p<tf.Rank.R2>(`${p}.in_proj`), 2, 1) as [tf.Tensor2D, tf.Tensor2D];
    const xs = linear(x, wx) as tf.Tensor3D; // [L, batch, dInner]
    const u = silu(causalConv1d(xs, this.p(`${p}.conv.weight`), this.p(`${p}.conv.bias`))) as tf.Tensor3D;
    const dbc = linear(u, this.p(`${p}.x_proj`)) as tf.Tensor3D; // [L, batch, dtRank + 2N]
    // split (not slice): its gradient is one concat, where slices' would be pads and adds.
    const [dtRaw, B, C] = tf.split(dbc, [dtRank, N, N], 2) as [tf.Tensor3D, tf.Tensor3D, tf.Tensor3D];
    const delta = softplus(linear(dtRaw, this.p(`${p}.dt_proj.weight`), this.p(`${p}.dt_proj.bias`))) as tf.Tensor3D;
    const A = tf.neg(tf.exp(this.p(`${p}.A_log`))) as tf.Tensor2D;
    const y = selectiveScanTimeMajor(u, delta, A, B, C, this.p(`${p}.D`));
    const outProj = this.p<tf.Rank.R2>(`${p}.out_proj`);
    const rows = x.shape[0] * x.shape[1];
    if (positions !== undefined && 2 * positions.size < rows) {
      // Few positions (scoring: one per sequence): everything after the scan only at those rows,
      // z included (its product, SiLU and the gate would otherwise run over every row).
      const zAt = linear(gatherRows(tf.reshape(x, [rows, -1]) as tf.Tensor2D, positions), wz);
      const yAt = gatherRows(tf.reshape(y, [rows, dInner]) as tf.Tensor2D, positions);
      return linear(tf.mul(yAt, silu(zAt)), outProj) as tf.Tensor2D;
    }
    const z = linear(x, wz) as tf.Tensor3D;
    const gated = tf.reshape(tf.mul(y, silu(z)), [rows, dInner]) as tf.Tensor2D;
    if (positions === undefined) return linear(gated, outProj) as tf.Tensor2D;
    // Most positions (training): project every row, then pick [positions, H] rather than
    // [positions, dInner] rows (half the copy, and half the scatter in the gradient).
    return pickRows(linear(gated, outProj) as tf.Tensor2D, positions);
  }

  /** Position-wise feed-forward: LayerNorm(Dropout(W2·Dropout(GELU(W1·h + b1)) + b2) + h). */
  private feedForward(l: number, h: tf.Tensor, rate: number, rng: Rng | undefined): tf.Tensor2D {
    const p = `layers.${l}.ffn`;
    let f = gelu(linear(h, this.p(`${p}.w1`), this.p(`${p}.b1`)));
    f = dropout(f, rate, rng);
    f = dropout(linear(f, this.p(`${p}.w2`), this.p(`${p}.b2`)), rate, rng);
    return layerNorm(tf.add(f, h), this.p(`${p}.ln.gamma`), this.p(`${p}.ln.beta`)) as tf.Tensor2D;
  }
}

/**
 * rows[positions] — or `rows` itself when the positions are every row in order (a batch without
 * padding, frequent with length-grouped batches: no copy forward, no scatter backward).
 */
function pickRows(rows: tf.Tensor2D, positions: tf.Tensor1D): tf.Tensor2D {
  if (positions.size === rows.shape[0]) {
    const p = positions.dataSync();
    let identity = true;
    for (let i = 0; i < p.length && identity; i++) identity = p[i] === i;
    if (identity) return rows;
  }
  return gatherRows(rows, positions);
}

/** A freshly initialised model (seeded). */
export function createMamba4Rec(config: Partial<Mamba4RecConfig> & { nItems: number }, options: { seed?: number } = {}): Mamba4Rec {
  const resolved = resolveMamba4RecConfig(config);
  const rng = Rng.derive(options.seed ?? 0, 0);
  const values = new Map<string, Float32Array>();
  for (const [name, shape] of parameterShapes(resolved)) {
    if (name.endsWith('.conv.weight') || name.endsWith('.conv.bias')) {
      const size = shape.reduce((a, b) => a * b, 1);
      const bound = 1 / Math.sqrt(resolved.dConv);
      const v = new Float32Array(size);
      for (let i = 0; i < size; i++) v[i] = (2 * rng.next() - 1) * bound;
      values.set(name, v);
    } else {
      values.set(name, initialValue(name, shape, rng));
    }
  }
  return new Mamba4Rec(resolved, values);
}

export { countParameters } from './config.js';
