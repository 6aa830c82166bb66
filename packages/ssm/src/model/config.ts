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
