/** Mamba4Rec hyper-parameters (defaults: the authors' ML-1M configuration). */
export interface Mamba4RecConfig {
  /** Number of real items; the embedding has nItems + 1 rows (row 0 = padding). */
  nItems: number;
  hiddenSize: number;
  numLayers: number;
  dState: number;
  dConv: number;
  expand: number;
  dropout: number;
  maxLen: number;
}

/** The model's hyper-parameters without the item count (which comes from the dataset). */
export type ModelConfig = Omit<Mamba4RecConfig, 'nItems'>;

export const MAMBA4REC_DEFAULTS: Readonly<ModelConfig> = Object.freeze({
  hiddenSize: 64,
  numLayers: 1,
  dState: 32,
  dConv: 4,
  expand: 2,
  dropout: 0.2,
  maxLen: 200,
});

/** Fills defaults and validates. */
export function resolveMamba4RecConfig(partial: Partial<Mamba4RecConfig> & { nItems: number }): Mamba4RecConfig {
  const config: Mamba4RecConfig = { ...MAMBA4REC_DEFAULTS, ...stripUndefined(partial) } as Mamba4RecConfig;
  const positiveInts: (keyof Mamba4RecConfig)[] = ['nItems', 'hiddenSize', 'numLayers', 'dState', 'dConv', 'expand', 'maxLen'];
  for (const key of positiveInts) {
    const v = config[key];
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`Mamba4Rec config: ${key} must be a positive integer, got ${v}`);
  }
  if (!(config.dropout >= 0 && config.dropout < 1)) {
    throw new RangeError(`Mamba4Rec config: dropout must be in [0, 1), got ${config.dropout}`);
  }
  return config;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Derived sizes of one Mamba block. */
export function mambaDims(config: Mamba4RecConfig): { dInner: number; dtRank: number } {
  return { dInner: config.expand * config.hiddenSize, dtRank: Math.ceil(config.hiddenSize / 16) };
}

/** Parameter name → shape, in a fixed order (the serialisation order). */
export function parameterShapes(config: Mamba4RecConfig): Array<[string, number[]]> {
  const H = config.hiddenSize;
  const { dInner, dtRank } = mambaDims(config);
  const N = config.dState;
  const shapes: Array<[string, number[]]> = [
    ['item_embedding', [config.nItems + 1, H]],
    ['emb_ln.gamma', [H]],
    ['emb_ln.beta', [H]],
  ];
  for (let l = 0; l < config.numLayers; l++) {
    const p = `layers.${l}`;
    shapes.push(
      [`${p}.mamba.in_proj`, [H, 2 * dInner]],
      [`${p}.mamba.conv.weight`, [config.dConv, dInner]],
      [`${p}.mamba.conv.bias`, [dInner]],
      [`${p}.mamba.x_proj`, [dInner, dtRank + 2 * N]],
      [`${p}.mamba.dt_proj.weight`, [dtRank, dInner]],
      [`${p}.mamba.dt_proj.bias`, [dInner]],
      [`${p}.mamba.A_log`, [dInner, N]],
      [`${p}.mamba.D`, [dInner]],
      [`${p}.mamba.out_proj`, [dInner, H]],
      [`${p}.ln.gamma`, [H]],
      [`${p}.ln.beta`, [H]],
      [`${p}.ffn.w1`, [H, 4 * H]],
      [`${p}.ffn.b1`, [4 * H]],
      [`${p}.ffn.w2`, [4 * H, H]],
      [`${p}.ffn.b2`, [H]],
      [`${p}.ffn.ln.gamma`, [H]],
      [`${p}.ffn.ln.beta`, [H]],
    );
  }
  return shapes;
}

/** Parameter count of a configuration (no tensors created). */
export function countParameters(config: Partial<Mamba4RecConfig> & { nItems: number }): number {
  return parameterShapes(resolveMamba4RecConfig(config)).reduce((n, [, s]) => n + s.reduce((a, b) => a * b, 1), 0);
}
