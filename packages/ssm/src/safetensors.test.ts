import { describe, expect, it } from 'vitest';
import { parameterShapes, resolveMamba4RecConfig } from './model/config.js';
import { decodeWeights, encodeWeights } from './model/weights.js';
import { fromSafetensors, portableConfig, readSafetensorsHeader, SAFETENSORS_CONFIG_KEY, SafetensorsError, toSafetensors } from './safetensors.js';

const config = resolveMamba4RecConfig({ nItems: 5, hiddenSize: 8, dState: 4, maxLen: 10 });
const values = new Map(
  parameterShapes(config).map(([name, shape], k) => [name, Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(k * 100 + i))]),
);
const weights = encodeWeights(config, values);
const items = ['a', 'b', 'c', 'd', 'e'];

describe('safetensors', () => {
  it('round-trips Kiln weights bit for bit, with the config in __metadata__', () => {
    const file = toSafetensors(weights, portableConfig(weights, items));
    const { header, metadata, dataStart } = readSafetensorsHeader(file);
    expect(dataStart % 8).toBe(0);
    expect(header.item_embedding).toEqual({ dtype: 'F32', shape: [6, 8], data_offsets: [0, 6 * 8 * 4] });
    const portable = JSON.parse(metadata[SAFETENSORS_CONFIG_KEY] as string);
    expect(portable).toMatchObject({ architecture: 'Mamba4Rec', items, config, maxLen: 10 });
    expect(fromSafetensors(file, portable.config)).toEqual(weights);
  });

  it('reorders item rows and names the tensor that does not fit', () => {
    const file = toSafetensors(weights, portableConfig(weights, items));
    const moved = decodeWeights(config, fromSafetensors(file, config, Int32Array.from([4, 3, 2, 1, 0])));
    const emb = values.get('item_embedding') as Float32Array;
    expect(moved.get('item_embedding')?.subarray(8, 16)).toEqual(emb.subarray(5 * 8, 6 * 8));
    expect(moved.get('item_embedding')?.subarray(0, 8)).toEqual(emb.subarray(0, 8));
    const wider = resolveMamba4RecConfig({ ...config, hiddenSize: 16 });
    expect(() => fromSafetensors(file, wider)).toThrow(/tensor item_embedding: shape \[6,8\], the config needs \[6,16\]/);
    try {
      fromSafetensors(file, { ...config, numLayers: 2 });
    } catch (error) {
      expect(error).toBeInstanceOf(SafetensorsError);
      expect((error as SafetensorsError).tensor).toBe('layers.1.mamba.in_proj');
    }
    expect(() => fromSafetensors(new Uint8Array(4), config)).toThrow(SafetensorsError);
  });
});
