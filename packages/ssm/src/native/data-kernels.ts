import * as tf from '@tensorflow/tfjs-core';
import { NATIVE_MIN_ELEMENTS } from './elementwise-kernels.js';
import { asKiln, cpuKernel, KILN_BACKEND, sizeOf } from './kiln-backend.js';

/**
 * Data movement for the `kiln` backend: row gathers (embedding lookup, picking positions), their
 * scatter-add gradient, and splits / concats / slices as block copies. The cpu backend does the
 * same work one element at a time through index conversions (or returns a view for contiguous
 * slices); these copy whole runs. Float32 only; anything else runs the cpu kernel.
 */

function gatherV2(): tf.KernelConfig {
  const fallback = cpuKernel('GatherV2');
  return {
    kernelName: 'GatherV2',
    backendName: KILN_BACKEND,
    kernelFunc: (args) => {
      const { x, indices } = args.inputs as { x: tf.TensorInfo; indices: tf.TensorInfo };
      const { axis, batchDims } = args.attrs as unknown as { axis: number; batchDims: number };
      const rank = x.shape.length;
      if (x.dtype !== 'float32' || indices.dtype !== 'int32' || rank < 1 || (batchDims ?? 0) !== 0 || (axis !== 0 && axis !== -rank)) return fallback(args);
      const kb = asKiln(args.backend);
      const rows = x.shape[0] as number;
      const H = sizeOf(x.shape.slice(1));
      const table = kb.f32(x);
      const ids = kb.i32(indices);
      const out = kb.alloc(ids.length * H);
      if (ids.length * H >= NATIVE_MIN_ELEMENTS) {
        try {
          kb.native.gatherRows(ids.length, H, rows, table, ids, out);
        } catch (e) {
          throw new Error(`GatherV2: ${(e as Error).message.replace(/^gatherRows: /, '')}`);
        }
        return kb.out([...indices.shape, ...x.shape.slice(1)], out);
      }
      for (let r = 0; r < ids.length; r++) {
        const id = ids[r] as number;
        if (!(id >= 0 && id < rows)) throw new Error(`GatherV2: index ${id} is not in [0, ${rows - 1}]`);
        const src = id * H;
        const dst = r * H;
        for (let k = 0; k < H; k++) out[dst + k] = table[src + k] as number;
      }
      return kb.out([...indices.shape, ...x.shape.slice(1)], out);
    },
  };
}

function scatterNd(): tf.KernelConfig {
  const fallback = cpuKernel('ScatterNd');
  return {
    kernelName: 'ScatterNd',
    backendName: KILN_BACKEND,
    kernelFunc: (args) => {
      const { indices, updates } = args.inputs as { indices: tf.TensorInfo; updates: tf.TensorInfo };
      const { shape } = args.attrs as unknown as { shape: number[] };
      const n = indices.shape[0] as number;
      if (updates.dtype !== 'float32' || indices.dtype !== 'int32' || indices.shape.length !== 2 || indices.shape[1] !== 1 || shape.length < 1)
        return fallback(args);
      const H = sizeOf(shape.slice(1));
      if (sizeOf(updates.shape) !== n * H) return fallback(args);
      const kb = asKiln(args.backend);
      const rows = shape[0] as number;
      const ids = kb.i32(indices);
      const src = kb.f32(updates);
      const out = kb.allocZeroed(rows * H);
      if (n * H >= NATIVE_MIN_ELEMENTS) {
        try {
          kb.native.scatterAddRows(n, H, rows, ids, src, out);
        } catch (e) {
          throw new Error(`ScatterNd: ${(e as Error).message.replace(/^scatterAddRows: /, '')}`);
        }
        return kb.out(shape, out);
      }
      for (let r = 0; r < n; r++) {
        const id = ids[r] as number;
        if (!(id >= 0 && id < rows)) throw new Error(`ScatterNd: index ${id} is not in [0, ${rows - 1}]`);
        const dst = id * H;
        const s = r * H;
        for (let k = 0; k < H; k++) out[dst + k] = (out[dst + k] as number) + (src[s + k] as number);
      }
      return kb.out(shape, out);
    },
  };
}

/** Copies `run` elements from src[from..] to dst[to..] (a loop for short runs, set() for long ones). */
function copyRun(src: Float32Array, from: number, dst: Float32Array, to: number, run: number): void {
  if (run > 4096) dst.set(src.subarray(from, from + run), to);
  else for (let k = 0; k < run; k++) dst[to + k] = src[from + k] as number;
}

function splitV(): tf.KernelConfig {
  const fallback = cpuKernel('SplitV');
  return {
    kernelName: 'SplitV',
    backendName: KILN_BACKEND,
    kernelFunc: (args) => {
      const { x } = args.inputs as { x: tf.TensorInfo };
      if (x.dtype !== 'float32') return fallback(args);
      const { numOrSizeSplits, axis } = args.attrs as unknown as { numOrSizeSplits: number | number[]; axis: number };
      const ax = tf.util.parseAxisParam(axis, x.shape)[0] as number;
      const sizes = tf.backend_util.prepareSplitSize(x, numOrSizeSplits, ax) as number[];
      const kb = asKiln(args.backend);
      const src = kb.f32(x);
      const outer = sizeOf(x.shape.slice(0, ax));
      const unit = sizeOf(x.shape.slice(ax + 1));
      const rowLen = (x.shape[ax] as number) * unit;
      let offset = 0;
      return sizes.map((s) => {
        const run = s * unit;
        const out = kb.alloc(outer * run);
        if (outer * run >= NATIVE_MIN_ELEMENTS) {
          kb.native.copyBlocks(outer, run, src, offset, rowLen, out, 0, run);
        } else if (run > 64) {
          for (let o = 0; o < outer; o++) copyRun(src, o * rowLen + offset, out, o * run, run);
        } else {
          // Short rows (x_proj's 4 / 32 / 32 columns): one flat loop, no call per row.
          for (let o = 0, from = offset, to = 0; o < outer; o++, from += rowLen) {
            for (let k = 0; k < run; k++) out[to++] = src[from + k] as number;
          }
        }
        offset += run;
        const shape = [...x.shape];
        shape[ax] = s;
        return kb.out(shape, out);
      });
    },
  };
}

function concat(): tf.KernelConfig {
  const fallback = cpuKernel('Concat');
  return {
    kernelName: 'Concat',
    backendName: KILN_BACKEND,
    kernelFunc: (args) => {
      const inputs = args.inputs as unknown as tf.TensorInfo[];
      const first = inputs[0];
      if (first === undefined || inputs.some((t) => t.dtype !== 'float32')) return fallback(args);
      const { axis } = args.attrs as unknown as { axis: number };
      const ax = tf.util.parseAxisParam(axis, first.shape)[0] as number;
      tf.backend_util.assertParamsConsistent(
        inputs.map((t) => t.shape),
        ax,
      );
      const shape = tf.backend_util.computeOutShape(
        inputs.map((t) => t.shape),
        ax,
      );
      const kb = asKiln(args.backend);
      const outer = sizeOf(shape.slice(0, ax));
      const unit = sizeOf(shape.slice(ax + 1));
      const rowLen = (shape[ax] as number) * unit;
      const out = kb.alloc(outer * rowLen);
      let offset = 0;
      for (const t of inputs) {
        const run = (t.shape[ax] as number) * unit;
        if (run === 0) continue;
        const src = kb.f32(t);
        if (outer * run >= NATIVE_MIN_ELEMENTS) {
          kb.native.copyBlocks(outer, run, src, 0, run, out, offset, rowLen);
        } else if (run > 64) {
          for (let o = 0; o < outer; o++) copyRun(src, o * run, out, o * rowLen + offset, run);
        } else {
          for (let o = 0, from = 0, to = offset; o < outer; o++, to += rowLen) {
            for (let k = 0; k < run; k++) out[to + k] = src[from++] as number;
          }
        }
        offset += run;
      }
      return kb.out(shape, out);
    },
  };
}

function slice(): tf.KernelConfig {
  const fallback = cpuKernel('Slice');
  return {
    kernelName: 'Slice',
    backendName: KILN_BACKEND,
    kernelFunc: (args) => {
      const { x } = args.inputs as { x: tf.TensorInfo };
      if (x.dtype !== 'float32') return fallback(args);
      const attrs = args.attrs as unknown as { begin: number | number[]; size: number | number[] };
      const [begin, size] = tf.slice_util.parseSliceParams(x, attrs.begin, attrs.size) as [number[], number[]];
      tf.slice_util.assertParamsValid(x, begin, size);
      const kb = asKiln(args.backend);
      const src = kb.f32(x);
      const shape = x.shape;
      const r = shape.length;
      const out = kb.alloc(sizeOf(size));
      if (out.length === 0) return kb.out(size, out);
      // The last dim j that is cut: everything after it is whole, so one (outer index) copies a run.
      let j = r - 1;
      while (j >= 0 && begin[j] === 0 && size[j] === shape[j]) j--;
      if (j < 0) {
        out.set(src.subarray(0, out.length));
        return kb.out(size, out);
      }
      const strides = tf.util.computeStrides(shape);
      strides.push(1);
      const run = (size[j] as number) * (strides[j] as number);
      const idx = new Array<number>(j).fill(0);
      const outerCount = sizeOf(size.slice(0, j));
      for (let o = 0; o < outerCount; o++) {
        let from = (begin[j] as number) * (strides[j] as number);
        for (let k = 0; k < j; k++) from += ((begin[k] as number) + (idx[k] as number)) * (strides[k] as number);
        copyRun(src, from, out, o * run, run);
        for (let k = j - 1; k >= 0; k--) {
          idx[k] = (idx[k] as number) + 1;
          if ((idx[k] as number) < (size[k] as number)) break;
          idx[k] = 0;
        }
      }
      return kb.out(size, out);
    },
  };
}

export function dataKernels(): tf.KernelConfig[] {
  return [gatherV2(), scatterNd(), splitV(), concat(), slice()];
}
