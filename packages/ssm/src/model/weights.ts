import { type Mamba4RecConfig, resolveMamba4RecConfig } from './config.js';
import { Mamba4Rec } from './mamba4rec.js';
import { decodeWeights, encodeWeights } from './weights-codec.js';

export { decodeWeights, encodeWeights, readWeightsHeader } from './weights-codec.js';

/** Serialises a model's parameters (format: ./weights-codec.ts). */
export function serializeWeights(model: Mamba4Rec): Uint8Array {
  return encodeWeights(model.config, model.snapshot());
}

/** Builds a model from serialised weights (the config must match the one they were saved with). */
export function loadMamba4Rec(config: Partial<Mamba4RecConfig> & { nItems: number }, weights: Uint8Array): Mamba4Rec {
  const resolved = resolveMamba4RecConfig(config);
  return new Mamba4Rec(resolved, decodeWeights(resolved, weights));
}
