// Reading list endpoints whole, and the names of datasets, models and QUBO problems (shown beside ids).
import { api } from './api.js';

/**
 * The path of a list's next page, or null: the API's `next` (a URL or path, cursor pagination),
 * else the older `nextCursor` applied to the current path.
 */
export function nextPath(current, data) {
  if (typeof data?.next === 'string' && data.next !== '') {
    const url = new URL(data.next, 'http://api.invalid/');
    const full = `${url.pathname}${url.search}`;
    const at = full.indexOf('/v1/');
    return at === -1 ? null : full.slice(at);
  }
  if (typeof data?.nextCursor === 'string' && data.nextCursor !== '') {
    const url = new URL(current, 'http://api.invalid/');
    url.searchParams.set('cursor', data.nextCursor);
    return `${url.pathname}${url.search}`;
  }
  return null;
}

/** Every item of a list endpoint (`{ items, next }`), following `next`, up to `max` items. */
export async function listAll(path, { signal, max = 2000 } = {}) {
  const items = [];
  let at = path;
  const seen = new Set();
  while (at !== null && items.length < max && !seen.has(at)) {
    seen.add(at);
    const data = await api(at, { signal });
    if (Array.isArray(data?.items)) items.push(...data.items);
    at = nextPath(at, data);
  }
  return items;
}

let cache = null;
let cachedAt = 0;

/** id → item maps of datasets, models and problems; cached for a few seconds (every view asks). */
export function loadNames({ maxAgeMs = 5000, fresh = false } = {}) {
  if (cache === null || fresh || Date.now() - cachedAt > maxAgeMs) {
    cachedAt = Date.now();
    const byId = (items) => new Map(items.map((item) => [item.id, item]));
    const safe = (p) => listAll(p).catch(() => []);
    cache = Promise.all([safe('/v1/datasets'), safe('/v1/models'), safe('/v1/qubo/problems')]).then(([datasets, models, problems]) => ({
      datasets: byId(datasets),
      models: byId(models),
      problems: byId(problems),
    }));
  }
  return cache;
}

/** Forget the cached names (after an upload or a new model). */
export function forgetNames() {
  cache = null;
}

/** What a job works on, from its payload: `{ type: 'dataset'|'model'|'problem', id }`, or null. */
export function inputOf(job) {
  const payload = job?.payload ?? {};
  if (typeof payload.datasetId === 'string') return { type: 'dataset', id: payload.datasetId };
  if (typeof payload.modelId === 'string') return { type: 'model', id: payload.modelId };
  if (typeof payload.problemId === 'string') return { type: 'problem', id: payload.problemId };
  return null;
}

/** The display name of an input (`ml-1m`, `mamba4rec-ml-1m v2`), or null when unknown. */
export function nameOf(names, ref) {
  if (ref === null || names === null || names === undefined) return null;
  const item = (ref.type === 'dataset' ? names.datasets : ref.type === 'model' ? names.models : names.problems)?.get(ref.id);
  if (item === undefined) return null;
  return ref.type === 'model' && item.version !== undefined ? `${item.name} v${item.version}` : item.name;
}
