import { type Mamba4RecConfig, parameterShapes } from './config.js';

// The weights format without TensorFlow.js (the API's online path decodes weights too).

const MAGIC = 0x4d53534b; // "KSSM" little-endian

interface WeightsHeader {
  format: 'kiln.ssm.weights';
  version: 1;
  config: Mamba4RecConfig;
  tensors: Array<{ name: string; shape: number[] }>;
}

/**
 * Serialises a model's parameters: "KSSM", a uint32 (LE) header length, a UTF-8 JSON header
 * `{ format, version, config, tensors: [{ name, shape }] }`, zero padding to a multiple of 4, then
 * every tensor's float32 little-endian values in header order.
 */
export function encodeWeights(config: Mamba4RecConfig, values: Map<string, Float32Array>): Uint8Array {
  const shapes = parameterShapes(config);
  const header: WeightsHeader = {
    format: 'kiln.ssm.weights',
    version: 1,
    config,
    tensors: shapes.map(([name, shape]) => ({ name, shape })),
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const dataStart = align4(8 + json.length);
  const total = shapes.reduce((n, [, s]) => n + s.reduce((a, b) => a * b, 1), 0);
  const out = new Uint8Array(dataStart + 4 * total);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, json.length, true);
  out.set(json, 8);
  let offset = dataStart;
  for (const [name, shape] of shapes) {
    const v = values.get(name);
    const size = shape.reduce((a, b) => a * b, 1);
    if (v === undefined || v.length !== size) throw new Error(`serializeWeights: parameter ${name} missing or wrong size`);
    for (let i = 0; i < size; i++) view.setFloat32(offset + 4 * i, v[i] as number, true);
    offset += 4 * size;
  }
  return out;
}

/** Reads the header of serialised weights (validates the magic and format). */
export function readWeightsHeader(weights: Uint8Array): WeightsHeader & { dataStart: number } {
  if (weights.length < 8) throw new Error('weights: too short');
  const view = new DataView(weights.buffer, weights.byteOffset, weights.byteLength);
  if (view.getUint32(0, true) !== MAGIC) throw new Error('weights: bad magic (not a Kiln SSM weights blob)');
  const len = view.getUint32(4, true);
  if (8 + len > weights.length) throw new Error('weights: truncated header');
  const header = JSON.parse(new TextDecoder().decode(weights.subarray(8, 8 + len))) as WeightsHeader;
  if (header.format !== 'kiln.ssm.weights' || header.version !== 1) throw new Error('weights: unknown format or version');
  return { ...header, dataStart: align4(8 + len) };
}

/** Decodes weights into parameter arrays, checking them against `config`. */
export function decodeWeights(config: Mamba4RecConfig, weights: Uint8Array): Map<string, Float32Array> {
  const header = readWeightsHeader(weights);
  const expected = parameterShapes(config);
  if (header.tensors.length !== expected.length) {
    throw new Error(`weights: ${header.tensors.length} tensors, the config needs ${expected.length}`);
  }
  const view = new DataView(weights.buffer, weights.byteOffset, weights.byteLength);
  const values = new Map<string, Float32Array>();
  let offset = header.dataStart;
  expected.forEach(([name, shape], i) => {
    const t = header.tensors[i];
    if (t === undefined || t.name !== name || t.shape.join(',') !== shape.join(',')) {
      throw new Error(`weights: tensor ${i} is ${t?.name} [${t?.shape}], the config needs ${name} [${shape}]`);
    }
    const size = shape.reduce((a, b) => a * b, 1);
    if (offset + 4 * size > weights.length) throw new Error('weights: truncated data');
    const v = new Float32Array(size);
    for (let k = 0; k < size; k++) v[k] = view.getFloat32(offset + 4 * k, true);
    values.set(name, v);
    offset += 4 * size;
  });
  return values;
}

function align4(n: number): number {
  return (n + 3) & ~3;
}
