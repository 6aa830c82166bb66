import { AppError, ModelConfig, TrainingConfig } from '@kiln/contracts';
import { nextFloat, seedState } from '@kiln/qubo';
import { z } from 'zod';

/**
 * A tune's search space (docs/adr/0022): named fields of the ssm.train payload (`model.<field>`,
 * `training.<field>`), each a list of values or a numeric range, expanded into trials by a grid
 * or by seeded random draws. The fields and their ranges come from the ssm.train contract
 * (@kiln/contracts' ModelConfig and TrainingConfig), so every trial's payload is one the contract
 * accepts; a field the contract gains is searchable at once.
 */

export type SearchValue = number | string | boolean;
export interface SearchRange {
  min: number;
  max: number;
  /** Draw log-uniformly (min > 0). */
  log?: boolean | undefined;
}
export type SearchSpec = Record<string, SearchValue[] | SearchRange>;
export type Strategy = 'grid' | 'random';
/** One trial's values, keyed by field (`training.lr`). */
export type TrialParams = Record<string, SearchValue>;

export const MAX_TRIALS = 64;

interface SearchField {
  schema: z.ZodType;
  /** integer and number fields take ranges; the others only lists. */
  type: 'integer' | 'number' | 'string' | 'boolean' | 'other';
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
}

const groups = { model: ModelConfig, training: TrainingConfig } as const;

function describeField(schema: z.ZodType): SearchField {
  const inner = schema instanceof z.ZodOptional ? (schema.unwrap() as z.ZodType) : schema;
  const json = z.toJSONSchema(inner) as { type?: string; minimum?: number; maximum?: number; exclusiveMinimum?: number };
  const type = json.type === 'integer' || json.type === 'number' || json.type === 'string' || json.type === 'boolean' ? json.type : 'other';
  return {
    schema: inner,
    type,
    ...(json.minimum !== undefined ? { minimum: json.minimum } : {}),
    ...(json.maximum !== undefined ? { maximum: json.maximum } : {}),
    ...(json.exclusiveMinimum !== undefined ? { exclusiveMinimum: json.exclusiveMinimum } : {}),
  };
}

let fields: Map<string, SearchField> | undefined;

/** Every searchable field (`model.hiddenSize`, `training.lr`, …) with its contract schema. */
export function searchableFields(): Map<string, SearchField> {
  if (!fields) {
    fields = new Map();
    for (const [group, schema] of Object.entries(groups)) {
      for (const [name, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) fields.set(`${group}.${name}`, describeField(field));
    }
  }
  return fields;
}

/** The field name as an error names it: `search["training.lr"]`. */
export const searchField = (path: string, at?: number | string) => `search[${JSON.stringify(path)}]${at === undefined ? '' : `[${JSON.stringify(at)}]`}`;

const rangeText = (f: SearchField) => {
  const lo = f.exclusiveMinimum !== undefined ? `(${f.exclusiveMinimum}` : f.minimum !== undefined ? `[${f.minimum}` : '(-∞';
  const hi = f.maximum !== undefined ? `${f.maximum}]` : '∞)';
  return `${lo}, ${hi}`;
};

const isRange = (v: SearchValue[] | SearchRange): v is SearchRange => !Array.isArray(v);

/**
 * Checks a search against the ssm.train contract: every field named, known and given valid
 * values (each list value, or a range's ends, parsed by the field's own schema). Returns the
 * problems as `{ field, message }` (none: the search is valid).
 */
export function searchIssues(spec: SearchSpec, strategy: Strategy): Array<{ field: string; message: string }> {
  const issues: Array<{ field: string; message: string }> = [];
  const known = searchableFields();
  const names = Object.keys(spec);
  if (names.length === 0) issues.push({ field: 'search', message: 'name at least one field to search, e.g. { "training.lr": [0.001, 0.002] }' });
  for (const path of names) {
    const field = known.get(path);
    const values = spec[path] as SearchValue[] | SearchRange;
    if (!field) {
      issues.push({
        field: searchField(path),
        message: `not a searchable field; these are: ${[...known.keys()].join(', ')}`,
      });
      continue;
    }
    if (isRange(values)) {
      if (field.type !== 'integer' && field.type !== 'number') {
        issues.push({ field: searchField(path), message: `a ${field.type} field takes a list of values, not a range` });
        continue;
      }
      if (strategy === 'grid') {
        issues.push({ field: searchField(path), message: 'a grid takes a list of values; { min, max } ranges are for strategy "random"' });
        continue;
      }
      for (const end of ['min', 'max'] as const) {
        const r = field.schema.safeParse(values[end]);
        if (!r.success)
          issues.push({ field: searchField(path, end), message: `${r.error.issues[0]?.message ?? 'invalid'} (the field takes ${rangeText(field)})` });
      }
      if (values.min > values.max) issues.push({ field: searchField(path), message: `min (${values.min}) is above max (${values.max})` });
      if (values.log && !(values.min > 0)) issues.push({ field: searchField(path, 'log'), message: 'a log-uniform range needs min > 0' });
      continue;
    }
    if (values.length === 0) {
      issues.push({ field: searchField(path), message: 'an empty list: give one value at least' });
      continue;
    }
    const seen = new Set<SearchValue>();
    values.forEach((v, i) => {
      const r = field.schema.safeParse(v);
      if (!r.success) {
        const range = field.type === 'integer' || field.type === 'number' ? ` (the field takes ${rangeText(field)})` : '';
        issues.push({ field: searchField(path, i), message: `${r.error.issues[0]?.message ?? 'invalid'}${range}` });
      } else if (seen.has(v)) issues.push({ field: searchField(path, i), message: `${JSON.stringify(v)} is listed twice` });
      seen.add(v);
    });
  }
  return issues;
}

/** Throws the 400 of `searchIssues` (KILN_ERR_VALIDATION naming each field), if any. */
export function checkSearch(spec: SearchSpec, strategy: Strategy): void {
  const issues = searchIssues(spec, strategy);
  if (issues.length > 0) throw new AppError('KILN_ERR_VALIDATION', issues.map((i) => `${i.field}: ${i.message}`).join('; '), { details: { issues } });
}

/** Seeded uniforms in [0, 1): @kiln/qubo's xoshiro128**, the project's one seeded generator without TensorFlow.js. */
export function seededRandom(seed: number): () => number {
  const state = seedState(seed);
  return () => nextFloat(state);
}

/** The search's fields in the order trials are made: by name, so the order never depends on how the JSON was written. */
const orderOf = (spec: SearchSpec) => Object.keys(spec).sort();

/** The number of value combinations when every field is a list (capped at 2^53), else null. */
export function spaceSize(spec: SearchSpec): number | null {
  let n = 1;
  for (const path of orderOf(spec)) {
    const v = spec[path] as SearchValue[] | SearchRange;
    if (isRange(v)) return null;
    n = Math.min(n * v.length, Number.MAX_SAFE_INTEGER);
  }
  return n;
}

/** Combination `index` of the lists, the last field varying fastest. */
function combination(spec: SearchSpec, names: string[], index: number): TrialParams {
  const params: TrialParams = {};
  let rest = index;
  for (let k = names.length - 1; k >= 0; k--) {
    const path = names[k] as string;
    const values = spec[path] as SearchValue[];
    params[path] = values[rest % values.length] as SearchValue;
    rest = Math.floor(rest / values.length);
  }
  return Object.fromEntries(names.map((n) => [n, params[n] as SearchValue]));
}

/** One draw in a range: uniform or log-uniform; integers rounded; floats to 6 significant digits, kept within the range. */
function drawIn(range: SearchRange, integer: boolean, random: () => number): number {
  const u = random();
  const x = range.log ? Math.exp(Math.log(range.min) + u * (Math.log(range.max) - Math.log(range.min))) : range.min + u * (range.max - range.min);
  const rounded = integer ? Math.round(x) : Number(x.toPrecision(6));
  return Math.min(range.max, Math.max(range.min, rounded));
}

export interface Expansion {
  trials: TrialParams[];
  /** The number of combinations of the lists (null when a field is a range). */
  spaceSize: number | null;
  /** Grid: fewer trials than the grid has points (the first `maxTrials`, in order). */
  truncated: boolean;
}

/**
 * The trials of a search (a valid one: `checkSearch` first). Grid: the cartesian product of the
 * lists, fields by name with the last varying fastest, the first `maxTrials` of it (default the
 * whole grid up to MAX_TRIALS). Random: `maxTrials` draws from a generator seeded with `seed`:
 * a list value uniformly, a range uniformly or log-uniformly (integers rounded). Draws repeat a
 * trial only when the space has no other left (a finite space smaller than the budget gives each
 * combination once, in random order). Same spec, budget and seed: the same trials.
 */
export function expandSearch(spec: SearchSpec, o: { strategy: Strategy; maxTrials?: number | undefined; seed: number }): Expansion {
  const names = orderOf(spec);
  const size = spaceSize(spec);
  if (o.strategy === 'grid') {
    const total = size ?? 0;
    const budget = Math.min(o.maxTrials ?? MAX_TRIALS, MAX_TRIALS);
    const n = Math.min(total, budget);
    return { trials: Array.from({ length: n }, (_, i) => combination(spec, names, i)), spaceSize: size, truncated: total > n };
  }
  const budget = Math.min(o.maxTrials ?? MAX_TRIALS, MAX_TRIALS);
  const random = seededRandom(o.seed);
  const known = searchableFields();
  if (size !== null && size <= budget) {
    // Every combination once, shuffled (Fisher–Yates).
    const order = Array.from({ length: size }, (_, i) => i);
    for (let i = size - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    return { trials: order.map((i) => combination(spec, names, i)), spaceSize: size, truncated: false };
  }
  const trials: TrialParams[] = [];
  const seen = new Set<string>();
  for (let t = 0; t < budget; t++) {
    let params: TrialParams = {};
    for (let attempt = 0; attempt < 100; attempt++) {
      params = {};
      for (const path of names) {
        const v = spec[path] as SearchValue[] | SearchRange;
        params[path] = isRange(v) ? drawIn(v, known.get(path)?.type === 'integer', random) : (v[Math.floor(random() * v.length)] as SearchValue);
      }
      if (!seen.has(JSON.stringify(params))) break;
    }
    seen.add(JSON.stringify(params));
    trials.push(params);
  }
  return { trials, spaceSize: size, truncated: false };
}

/** A trial's params as `{ model: {...}, training: {...} }` over the base request's own. */
export function applyParams<T extends { model?: Record<string, unknown> | undefined; training?: Record<string, unknown> | undefined }>(
  base: T,
  params: TrialParams,
): T & { model: Record<string, unknown>; training: Record<string, unknown> } {
  const model: Record<string, unknown> = { ...base.model };
  const training: Record<string, unknown> = { ...base.training };
  for (const [path, value] of Object.entries(params)) {
    const dot = path.indexOf('.');
    const group = path.slice(0, dot);
    const name = path.slice(dot + 1);
    if (group === 'model') model[name] = value;
    else if (group === 'training') training[name] = value;
  }
  return { ...base, model, training };
}

/** `training.lr=0.001 model.dropout=0.2`: a trial's params in one line. */
export const paramsText = (params: TrialParams) =>
  Object.entries(params)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
