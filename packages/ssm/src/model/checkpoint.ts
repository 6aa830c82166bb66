import type { EpochReport } from '../epoch-report.js';
import type { TrainingConfig } from '../training-config.js';
import type { AdamState } from './adam.js';
import { type Mamba4RecConfig, parameterShapes } from './config.js';
import type { RngState } from './rng.js';

const MAGIC = 0x4b434b53; // "SKCK" little-endian
const FORMAT = 'kiln.ssm.checkpoint';
const VERSION = 1;
/** The float32 blocks after the header, each with every parameter in parameterShapes order. */
const SECTIONS = ['weights', 'adam.m', 'adam.v', 'best'] as const;

/**
 * What makes two runs the same run: a checkpoint resumes only a run with the same key (the model,
 * the resolved training config, the options that change batches or metrics, the data's digest).
 */
export interface RunKey {
  config: Mamba4RecConfig;
  training: TrainingConfig;
  batchTokens: number;
  maxTrainTargets: number | null;
  evalBatchSize: number;
  /** Users, interactions and an FNV-1a digest of every sequence (see {@link dataDigest}). */
  data: { users: number; interactions: number; digest: string };
}

/** The state of a training run at the end of an epoch: enough to continue it as if never stopped. */
export interface TrainingCheckpoint {
  key: RunKey;
  /** Epochs finished. */
  epoch: number;
  /** Optimizer steps taken, and the steps the learning-rate schedule spans. */
  step: number;
  totalSteps: number;
  /** Adam's state; moments in parameterShapes order. */
  optimizer: AdamState;
  rng: { dropout: RngState; shuffle: RngState };
  /** The best epoch so far (0: none yet; ndcg −∞) with its validation metrics and weights. */
  best: { epoch: number; ndcg: number; valid: Record<string, number>; weights: Map<string, Float32Array> };
  /** The model's weights at the end of `epoch`. */
  weights: Map<string, Float32Array>;
  /** Every epoch's report so far (epochs 1..epoch). */
  epochs: EpochReport[];
}

interface Header {
  format: typeof FORMAT;
  version: typeof VERSION;
  key: RunKey;
  epoch: number;
  step: number;
  totalSteps: number;
  optimizer: Omit<AdamState, 'm' | 'v'>;
  rng: { dropout: RngState; shuffle: RngState };
  best: { epoch: number; ndcg: number; valid: Record<string, number> };
  epochs: EpochReport[];
  sections: readonly string[];
  tensors: Array<{ name: string; shape: number[] }>;
}

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Serialises a checkpoint: "SKCK", a uint32 (LE) header length, a UTF-8 JSON header
 * `{ format: 'kiln.ssm.checkpoint', version: 1, key, epoch, step, totalSteps, optimizer: { t, lr,
 * beta1, beta2, epsilon }, rng: { dropout, shuffle }, best: { epoch, ndcg, valid }, epochs,
 * sections, tensors }` (non-finite numbers as the strings "NaN", "Infinity", "-Infinity"), zero
 * padding to a multiple of 4, then four float32 little-endian blocks — weights, Adam's first
 * moments, its second moments, the best epoch's weights — each holding every parameter in header
 * order. Exact: decoding gives back the same bits.
 */
export function encodeCheckpoint(c: TrainingCheckpoint): Uint8Array {
  const shapes = parameterShapes(c.key.config);
  const header: Header = {
    format: FORMAT,
    version: VERSION,
    key: c.key,
    epoch: c.epoch,
    step: c.step,
    totalSteps: c.totalSteps,
    optimizer: { t: c.optimizer.t, lr: c.optimizer.lr, beta1: c.optimizer.beta1, beta2: c.optimizer.beta2, epsilon: c.optimizer.epsilon },
    rng: c.rng,
    best: { epoch: c.best.epoch, ndcg: c.best.ndcg, valid: c.best.valid },
    epochs: c.epochs,
    sections: SECTIONS,
    tensors: shapes.map(([name, shape]) => ({ name, shape })),
  };
  const json = new TextEncoder().encode(JSON.stringify(header, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v)));
  const dataStart = align4(8 + json.length);
  const perSection = shapes.reduce((n, [, s]) => n + size(s), 0);
  const out = new Uint8Array(dataStart + 4 * perSection * SECTIONS.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, json.length, true);
  out.set(json, 8);
  const blocks: Array<(name: string, i: number) => Float32Array | undefined> = [
    (name) => c.weights.get(name),
    (_name, i) => c.optimizer.m[i],
    (_name, i) => c.optimizer.v[i],
    (name) => c.best.weights.get(name),
  ];
  let offset = dataStart;
  SECTIONS.forEach((section, s) => {
    shapes.forEach(([name, shape], i) => {
      const values = blocks[s]?.(name, i);
      const n = size(shape);
      if (values === undefined || values.length !== n) throw new Error(`encodeCheckpoint: ${section} of ${name} missing or wrong size`);
      writeFloats(view, out, offset, values);
      offset += 4 * n;
    });
  });
  return out;
}

/** Reads a checkpoint written by {@link encodeCheckpoint}; throws on a foreign, truncated or newer blob. */
export function decodeCheckpoint(bytes: Uint8Array): TrainingCheckpoint {
  const header = readCheckpointHeader(bytes);
  const shapes = parameterShapes(header.key.config);
  if (header.tensors.length !== shapes.length || header.tensors.some((t, i) => t.name !== shapes[i]?.[0] || t.shape.join(',') !== shapes[i]?.[1].join(','))) {
    throw new Error('checkpoint: its tensors do not match its model config');
  }
  if (header.sections.join(',') !== SECTIONS.join(',')) throw new Error(`checkpoint: unknown sections ${header.sections.join(', ')}`);
  const perSection = shapes.reduce((n, [, s]) => n + size(s), 0);
  if (header.dataStart + 4 * perSection * SECTIONS.length !== bytes.length) throw new Error('checkpoint: truncated or padded data');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = header.dataStart;
  const read = () => {
    const values = new Map<string, Float32Array>();
    for (const [name, shape] of shapes) {
      values.set(name, readFloats(view, bytes, offset, size(shape)));
      offset += 4 * size(shape);
    }
    return values;
  };
  const weights = read();
  const m = [...read().values()];
  const v = [...read().values()];
  const best = read();
  return {
    key: header.key,
    epoch: header.epoch,
    step: header.step,
    totalSteps: header.totalSteps,
    optimizer: { ...header.optimizer, m, v },
    rng: header.rng,
    best: { ...header.best, weights: best },
    weights,
    epochs: header.epochs,
  };
}

/** The JSON header of a checkpoint (no float data decoded): which run, which epoch. */
export function readCheckpointHeader(bytes: Uint8Array): Header & { dataStart: number } {
  if (bytes.length < 8) throw new Error('checkpoint: too short');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== MAGIC) throw new Error('checkpoint: bad magic (not a Kiln training checkpoint)');
  const len = view.getUint32(4, true);
  if (8 + len > bytes.length) throw new Error('checkpoint: truncated header');
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + len)), (_k, v: unknown) =>
    v === 'NaN' || v === 'Infinity' || v === '-Infinity' ? Number(v) : v,
  ) as Header;
  if (header.format !== FORMAT) throw new Error(`checkpoint: format ${String(header.format)}, expected ${FORMAT}`);
  if (header.version !== VERSION) throw new Error(`checkpoint: version ${String(header.version)}, this build reads version ${VERSION}`);
  return { ...header, dataStart: align4(8 + len) };
}

/** Why a checkpoint of run `saved` cannot resume run `wanted` (undefined: it can). */
export function runKeyMismatch(saved: RunKey, wanted: RunKey): string | undefined {
  const fields = ['data', 'config', 'training', 'batchTokens', 'maxTrainTargets', 'evalBatchSize'] as const;
  for (const field of fields) {
    if (canonical(saved[field]) !== canonical(wanted[field])) return `the checkpoint was taken with another ${field === 'data' ? 'dataset' : field}`;
  }
  return undefined;
}

/** An FNV-1a (32-bit) digest of the sequences, lengths included, as 8 hex digits. */
export function dataDigest(sequences: readonly Int32Array[]): string {
  let h = 0x811c9dc5;
  const mix = (x: number) => {
    for (let s = 0; s < 32; s += 8) {
      h ^= (x >>> s) & 0xff;
      h = Math.imul(h, 0x01000193);
    }
  };
  for (const seq of sequences) {
    mix(seq.length);
    for (const item of seq) mix(item);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** JSON with sorted keys (so key order never makes two equal configs differ). */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1))) : v,
  );
}

function writeFloats(view: DataView, out: Uint8Array, offset: number, values: Float32Array): void {
  if (littleEndian) {
    out.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), offset);
    return;
  }
  for (let i = 0; i < values.length; i++) view.setFloat32(offset + 4 * i, values[i] as number, true);
}

function readFloats(view: DataView, bytes: Uint8Array, offset: number, n: number): Float32Array {
  if (littleEndian) return new Float32Array(bytes.slice(offset, offset + 4 * n).buffer);
  const values = new Float32Array(n);
  for (let i = 0; i < n; i++) values[i] = view.getFloat32(offset + 4 * i, true);
  return values;
}

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

function align4(n: number): number {
  return (n + 3) & ~3;
}
