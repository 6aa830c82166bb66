import * as tf from '@tensorflow/tfjs-core';
import { loadNative } from '@kiln/kernels';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend.js';
import { createMamba4Rec, type Mamba4Rec } from '../model/mamba4rec.js';
import { Rng } from '../model/rng.js';
import { topK } from '../score.js';
import { decodeState, encodeState, fromHalf, toHalf, withSeen } from './state-codec.js';
import { createStepper } from './stepper.js';

beforeAll(async () => {
  await initBackend();
});

/** A model whose weights are moved off their initial values (dt bias, conv, norms), so every path is exercised. */
function model(numLayers: number, seed: number): Mamba4Rec {
  const m = createMamba4Rec({ nItems: 60, hiddenSize: 16, dState: 8, dConv: 4, expand: 2, numLayers, maxLen: 50 }, { seed });
  const rng = new Rng(seed + 7);
  const values = m.snapshot();
  for (const [name, v] of values) {
    const scale = name.endsWith('A_log') ? 0.1 : name.includes('embedding') ? 0.5 : 0.2;
    for (let i = 0; i < v.length; i++) v[i] = (v[i] as number) + scale * rng.normal();
  }
  m.assign(values);
  return m;
}

/** The model's full forward pass over one whole sequence: the hidden state at its last position. */
function fullForward(m: Mamba4Rec, seq: Int32Array): Float32Array {
  return tf.tidy(() => {
    const ids = tf.tensor2d(seq, [seq.length, 1], 'int32');
    const out = m.forward(ids, { positions: tf.tensor1d([seq.length - 1], 'int32') });
    return out.dataSync() as Float32Array;
  });
}

function relErr(a: Float32Array, b: Float32Array): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    num += ((a[i] as number) - (b[i] as number)) ** 2;
    den += (b[i] as number) ** 2;
  }
  return Math.sqrt(num / den);
}

function sequences(n: number, nItems: number, seed: number): Int32Array[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, (_, u) => Int32Array.from({ length: 1 + ((u * 7) % 45) }, () => 1 + Math.floor(rng.next() * nItems)));
}

const kernels = loadNative() ? (['reference', 'native'] as const) : (['reference'] as const);

describe.each([1, 2])('online recurrence, %i layer(s)', (numLayers) => {
  describe.each(kernels)('%s kernel', (kernel) => {
    it('feeding a sequence event by event gives the full forward pass’s hidden state (rel err ≤ 1e-4)', () => {
      const m = model(numLayers, 3 + numLayers);
      const stepper = createStepper(m.config, m.snapshot(), { kernel });
      expect(stepper.kind).toBe(kernel);
      for (const seq of sequences(12, 60, 11)) {
        const want = fullForward(m, seq);
        const state = stepper.emptyState();
        let hidden: Float32Array | null = null;
        for (const item of seq) hidden = stepper.advance(state, Int32Array.of(item));
        expect(relErr(hidden as Float32Array, want)).toBeLessThanOrEqual(1e-4);
        // All at once from the empty state, and in two parts, give the same state.
        const once = stepper.emptyState();
        const h1 = stepper.advance(once, seq) as Float32Array;
        expect(relErr(h1, want)).toBeLessThanOrEqual(1e-4);
        expect(relErr(once, state)).toBeLessThanOrEqual(1e-5);
      }
    });

    it('primes many users at once to the same states as one by one', () => {
      const m = model(numLayers, 5);
      const stepper = createStepper(m.config, m.snapshot(), { kernel });
      const seqs = [...sequences(20, 60, 2), new Int32Array(0)];
      const { states, hidden } = stepper.prime(seqs);
      const S = stepper.dims.stateFloats;
      const H = stepper.dims.hidden;
      seqs.forEach((seq, u) => {
        const s = stepper.emptyState();
        const h = stepper.advance(s, seq);
        if (h === null) {
          expect(Array.from(states.subarray(u * S, (u + 1) * S)).every((v) => v === 0)).toBe(true);
          return;
        }
        expect(relErr(states.subarray(u * S, (u + 1) * S), s)).toBeLessThanOrEqual(1e-6);
        expect(relErr(hidden.subarray(u * H, (u + 1) * H), h)).toBeLessThanOrEqual(1e-6);
      });
    });

    it('ranks all items like the batch path’s top-K, skipping the excluded ones', () => {
      const m = model(numLayers, 9);
      const stepper = createStepper(m.config, m.snapshot(), { kernel });
      const table = m.p<tf.Rank.R2>('item_embedding');
      for (const seq of sequences(6, 60, 5)) {
        const state = stepper.emptyState();
        const h = stepper.advance(state, seq) as Float32Array;
        const scores = tf.tidy(() => tf.matMul(table, tf.tensor2d(h, [h.length, 1])).dataSync() as Float32Array);
        const excluded = new Uint8Array(61);
        for (const i of seq) excluded[i] = 1;
        const want = topK(scores, 10, excluded);
        const got = stepper.topK(h, 10, seq);
        expect(Array.from(got.items)).toEqual(Array.from(want.items));
        for (let r = 0; r < 10; r++) expect(got.scores[r]).toBeCloseTo(want.scores[r] as number, 4);
        expect(Array.from(stepper.topK(h, 100).items)).toHaveLength(60);
        for (const i of got.items) expect(seq.includes(i)).toBe(false);
      }
    });

    it('refuses items outside the vocabulary and states of the wrong size', () => {
      const m = model(numLayers, 1);
      const stepper = createStepper(m.config, m.snapshot(), { kernel });
      expect(() => stepper.advance(stepper.emptyState(), Int32Array.of(3, 61))).toThrow(/61/);
      expect(() => stepper.advance(stepper.emptyState(), Int32Array.of(0))).toThrow(/0/);
      expect(() => stepper.advance(new Float32Array(3), Int32Array.of(1))).toThrow(/state/);
    });
  });
});

describe('state codec', () => {
  const state = {
    events: 7,
    hidden: Float32Array.from([0.5, -2, 3.25]),
    state: Float32Array.from([1e-3, -7.5, 65504, 1e-7, 0, -0, 2.71828]),
    seen: Int32Array.from([4, 9, 2]),
  };

  it('round-trips fp32 exactly', () => {
    const back = decodeState(encodeState(state, 'fp32'), { stateFloats: 7, hidden: 3 });
    expect(back.events).toBe(7);
    expect(Array.from(back.state)).toEqual(Array.from(state.state));
    expect(Array.from(back.hidden as Float32Array)).toEqual(Array.from(state.hidden));
    expect(Array.from(back.seen)).toEqual([4, 9, 2]);
  });

  it('stores fp16 in half the bytes, within half precision', () => {
    const a = encodeState(state, 'fp16');
    const b = encodeState(state, 'fp32');
    // header 24 + hidden 12 + state (14 as fp16, padded to 16; 28 as fp32) + seen 12
    expect(a.length).toBe(64);
    expect(b.length).toBe(76);
    const back = decodeState(a, { stateFloats: 7, hidden: 3 });
    state.state.forEach((v, i) => {
      expect(Math.abs((back.state[i] as number) - v)).toBeLessThanOrEqual(Math.abs(v) * 2 ** -11 + 2 ** -25);
    });
    expect(Array.from(back.hidden as Float32Array)).toEqual(Array.from(state.hidden));
  });

  it('rounds to nearest even like IEEE and keeps inf and NaN', () => {
    const x = Float32Array.from([1 + 2 ** -11, 1 + 3 * 2 ** -11, 70000, -Infinity, Number.NaN, 2 ** -24, 2 ** -26]);
    const h = new Uint16Array(x.length);
    toHalf(x, h);
    const y = fromHalf(h);
    expect(Array.from(y.subarray(0, 4))).toEqual([1, 1 + 2 ** -9, Infinity, -Infinity]);
    expect(Number.isNaN(y[4])).toBe(true);
    expect(y[5]).toBe(2 ** -24);
    expect(y[6]).toBe(0);
  });

  it.runIf(loadNative() !== null)('converts like the addon, bit for bit, on every half and on random floats', () => {
    const halves = Uint16Array.from({ length: 65536 }, (_, i) => i);
    const viaJs = fromHalf(halves);
    const viaNative = new Float32Array(65536);
    loadNative()?.f16ToF32(halves, viaNative);
    // NaN payloads may differ; every other half converts to the same float.
    const differ = Array.from(halves).filter((h) => !(Object.is(viaNative[h], viaJs[h]) || (Number.isNaN(viaNative[h]) && Number.isNaN(viaJs[h]))));
    expect(differ).toEqual([]);
    const rng = new Rng(4);
    const x = Float32Array.from({ length: 20000 }, (_, i) => rng.normal() * 2 ** ((i % 60) - 40));
    const a = new Uint16Array(x.length);
    const b = new Uint16Array(x.length);
    toHalf(x, a);
    loadNative()?.f32ToF16(x, b);
    expect(Array.from(b)).toEqual(Array.from(a));
  });

  it('keeps the seen items distinct, in first-seen order', () => {
    const seen = withSeen(new Int32Array(0), Int32Array.of(5, 3, 5, 9, 3));
    expect(Array.from(seen)).toEqual([5, 3, 9]);
    expect(withSeen(seen, Int32Array.of(9, 3))).toBe(seen);
    expect(Array.from(withSeen(seen, Int32Array.of(2, 5, 2)))).toEqual([5, 3, 9, 2]);
  });

  it('refuses a state of another model', () => {
    expect(() => decodeState(encodeState(state, 'fp16'), { stateFloats: 8, hidden: 3 })).toThrow(/sizes/);
    expect(() => decodeState(Buffer.from('nonsense-nonsense-nonsense'), { stateFloats: 7, hidden: 3 })).toThrow(/magic/);
  });
});
