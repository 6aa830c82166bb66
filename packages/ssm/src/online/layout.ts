import { type Mamba4RecConfig, mambaDims, parameterShapes } from '../model/config.js';

/**
 * The sizes of a model's recurrent state. Per layer, in this order: the causal conv's buffer, the
 * last dConv − 1 inputs of the conv (oldest first, [dConv − 1, dInner]), then the scan state h
 * [dInner, dState]. A user's whole past is these floats, whatever the history's length.
 */
export interface OnlineDims {
  layers: number;
  hidden: number;
  dInner: number;
  dState: number;
  dConv: number;
  dtRank: number;
  /** Embedding rows (nItems + 1; row 0 is padding). */
  vocab: number;
  /** Floats of one layer's state. */
  layerFloats: number;
  /** Floats of the whole state. */
  stateFloats: number;
}

export function onlineDims(config: Mamba4RecConfig): OnlineDims {
  const { dInner, dtRank } = mambaDims(config);
  const layerFloats = (config.dConv - 1) * dInner + dInner * config.dState;
  return {
    layers: config.numLayers,
    hidden: config.hiddenSize,
    dInner,
    dState: config.dState,
    dConv: config.dConv,
    dtRank,
    vocab: config.nItems + 1,
    layerFloats,
    stateFloats: config.numLayers * layerFloats,
  };
}

/** The parameters in serialisation order (what the native model takes), checked against the config. */
export function orderedParameters(config: Mamba4RecConfig, params: ReadonlyMap<string, Float32Array>): Float32Array[] {
  return parameterShapes(config).map(([name, shape]) => {
    const v = params.get(name);
    const size = shape.reduce((a, b) => a * b, 1);
    if (v === undefined || v.length !== size) throw new Error(`online model: parameter ${name} missing or not ${size} values`);
    return v;
  });
}
