// @kiln/ssm/safetensors: Kiln's serialised weights to and from safetensors (the Hugging Face format:
// a u64 LE header length, a JSON header { name: { dtype, shape, data_offsets }, __metadata__ }, then
// the raw tensor data), with no TensorFlow.js (the API converts on download and upload).
import { type Mamba4RecConfig, parameterShapes, resolveMamba4RecConfig } from './model/config.js';

const KILN_MAGIC = 0x4d53534b; // "KSSM", see model/weights.ts

/** The `__metadata__` key that holds Kiln's JSON model config (a string, as safetensors wants). */
export const SAFETENSORS_CONFIG_KEY = 'kiln.config';

/** Kiln's portable description of a model: everything scoring needs beside the weights. */
export interface PortableModelConfig {
  format: 'kiln.model';
  version: 1;
  architecture: 'Mamba4Rec';
  /** The hyper-parameters; `nItems` rows of item_embedding follow its padding row 0. */
  config: Mamba4RecConfig;
  /** Item vocabulary: row r ≥ 1 of item_embedding is the item `items[r - 1]` (the dataset's external ids). */
  items: string[];
  /** Tensor names and shapes in serialisation order (all float32). */
  tensors: Array<{ name: string; shape: number[] }>;
  /** Scoring uses at most the last `config.maxLen` items of a history. */
  maxLen: number;
  /** Where the model came from (informational). */
  source?: Record<string, unknown>;
}

/** A tensor of an uploaded file that does not fit the config: its name, and what is wrong. */
export class SafetensorsError extends Error {
  override readonly name = 'SafetensorsError';
  constructor(
    message: string,
    readonly tensor?: string,
  ) {
    super(message);
  }
}

interface KilnBlob {
  config: Mamba4RecConfig;
  tensors: Array<{ name: string; shape: number[] }>;
  dataStart: number;
}

function readKilnHeader(weights: Uint8Array): KilnBlob {
  const view = new DataView(weights.buffer, weights.byteOffset, weights.byteLength);
  if (weights.length < 8 || view.getUint32(0, true) !== KILN_MAGIC) throw new Error('weights: not a Kiln SSM weights blob');
  const len = view.getUint32(4, true);
  const header = JSON.parse(new TextDecoder().decode(weights.subarray(8, 8 + len))) as KilnBlob;
  return { config: header.config, tensors: header.tensors, dataStart: (8 + len + 3) & ~3 };
}

const sizeOf = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** The portable config of stored weights and their item vocabulary. */
export function portableConfig(weights: Uint8Array, items: string[], source?: Record<string, unknown>): PortableModelConfig {
  const { config, tensors } = readKilnHeader(weights);
  return { format: 'kiln.model', version: 1, architecture: 'Mamba4Rec', config, items, tensors, maxLen: config.maxLen, ...(source ? { source } : {}) };
}

/**
 * Kiln weights as a safetensors file: every tensor F32 under its Kiln name, in Kiln's order, the
 * data copied as is (both are float32 little-endian); `__metadata__` holds the portable config as JSON.
 */
export function toSafetensors(weights: Uint8Array, config: PortableModelConfig): Uint8Array {
  const { tensors, dataStart } = readKilnHeader(weights);
  const header: Record<string, unknown> = { __metadata__: { [SAFETENSORS_CONFIG_KEY]: JSON.stringify(config), format: 'pt' } };
  let offset = 0;
  for (const t of tensors) {
    const bytes = 4 * sizeOf(t.shape);
    header[t.name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  // The header is padded with spaces to a multiple of 8 (the data then starts aligned).
  const padded = (json.length + 7) & ~7;
  if (padded !== json.length) {
    const p = new Uint8Array(padded).fill(0x20);
    p.set(json);
    json = p;
  }
  const out = new Uint8Array(8 + json.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(weights.subarray(dataStart, dataStart + offset), 8 + json.length);
  return out;
}

/** A safetensors file's header and where its data starts. */
export function readSafetensorsHeader(file: Uint8Array): { header: Record<string, unknown>; metadata: Record<string, string>; dataStart: number } {
  if (file.length < 8) throw new SafetensorsError('not a safetensors file: shorter than its 8-byte header length');
  const len = new DataView(file.buffer, file.byteOffset, file.byteLength).getBigUint64(0, true);
  if (len > BigInt(file.length - 8) || len > 100_000_000n) throw new SafetensorsError(`not a safetensors file: header length ${len} exceeds the file`);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(file.subarray(8, 8 + Number(len))));
  } catch {
    throw new SafetensorsError('not a safetensors file: the header is not JSON');
  }
  if (!header || typeof header !== 'object' || Array.isArray(header)) throw new SafetensorsError('not a safetensors file: the header is not a JSON object');
  const { __metadata__: meta, ...tensors } = header as Record<string, unknown>;
  return { header: tensors, metadata: (meta && typeof meta === 'object' ? meta : {}) as Record<string, string>, dataStart: 8 + Number(len) };
}

/**
 * Reads a safetensors file against a config: every tensor Mamba4Rec needs must be there as F32
 * with its shape, no other tensor may be, and every value must be finite (else SafetensorsError
 * naming the tensor). `rowOrder`, when given, reorders item_embedding's item rows: row r ≥ 1 of
 * the result is row rowOrder[r - 1] of the file (row 0, the padding, stays). Returns Kiln weights.
 */
export function fromSafetensors(file: Uint8Array, config: Mamba4RecConfig, rowOrder?: Int32Array): Uint8Array {
  const resolved = resolveMamba4RecConfig(config);
  const { header, dataStart } = readSafetensorsHeader(file);
  const shapes = parameterShapes(resolved);
  const expected = new Set(shapes.map(([name]) => name));
  for (const name of Object.keys(header)) {
    if (!expected.has(name)) throw new SafetensorsError(`tensor ${name}: not a parameter of Mamba4Rec with this config`, name);
  }
  const values = new Map<string, Float32Array>();
  for (const [name, shape] of shapes) {
    const t = header[name] as { dtype?: unknown; shape?: unknown; data_offsets?: unknown } | undefined;
    if (!t) throw new SafetensorsError(`tensor ${name}: missing (shape [${shape}] F32)`, name);
    if (t.dtype !== 'F32') throw new SafetensorsError(`tensor ${name}: dtype ${String(t.dtype)}, needs F32`, name);
    if (!Array.isArray(t.shape) || t.shape.join(',') !== shape.join(',')) {
      throw new SafetensorsError(`tensor ${name}: shape [${Array.isArray(t.shape) ? t.shape.join(',') : String(t.shape)}], the config needs [${shape}]`, name);
    }
    const offsets = t.data_offsets;
    const size = sizeOf(shape);
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) {
      throw new SafetensorsError(`tensor ${name}: data_offsets must be [begin, end]`, name);
    }
    const [begin, end] = offsets as [number, number];
    if (end - begin !== 4 * size || dataStart + end > file.length) {
      throw new SafetensorsError(`tensor ${name}: data_offsets [${begin}, ${end}] do not hold ${size} float32 values inside the file`, name);
    }
    const view = new DataView(file.buffer, file.byteOffset + dataStart + begin, 4 * size);
    const v = new Float32Array(size);
    for (let i = 0; i < size; i++) {
      const x = view.getFloat32(4 * i, true);
      if (!Number.isFinite(x)) throw new SafetensorsError(`tensor ${name}: value ${i} is ${x}`, name);
      v[i] = x;
    }
    values.set(name, v);
  }
  if (rowOrder) {
    const emb = values.get('item_embedding') as Float32Array;
    const h = resolved.hiddenSize;
    const out = new Float32Array(emb.length);
    out.set(emb.subarray(0, h));
    for (let r = 0; r < rowOrder.length; r++) {
      const from = rowOrder[r] as number;
      out.set(emb.subarray((from + 1) * h, (from + 2) * h), (r + 1) * h);
    }
    values.set('item_embedding', out);
  }
  return encodeKilnWeights(resolved, values);
}

/** Kiln's weights blob (model/weights.ts's format) without TensorFlow.js. */
function encodeKilnWeights(config: Mamba4RecConfig, values: Map<string, Float32Array>): Uint8Array {
  const shapes = parameterShapes(config);
  const json = new TextEncoder().encode(
    JSON.stringify({ format: 'kiln.ssm.weights', version: 1, config, tensors: shapes.map(([name, shape]) => ({ name, shape })) }),
  );
  const dataStart = (8 + json.length + 3) & ~3;
  const total = shapes.reduce((n, [, s]) => n + sizeOf(s), 0);
  const out = new Uint8Array(dataStart + 4 * total);
  const view = new DataView(out.buffer);
  view.setUint32(0, KILN_MAGIC, true);
  view.setUint32(4, json.length, true);
  out.set(json, 8);
  let offset = dataStart;
  for (const [name] of shapes) {
    const v = values.get(name) as Float32Array;
    for (let i = 0; i < v.length; i++) view.setFloat32(offset + 4 * i, v[i] as number, true);
    offset += 4 * v.length;
  }
  return out;
}
