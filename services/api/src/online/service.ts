import { AppError } from '@kiln/contracts';
import { type Db, getModelWeights } from '@kiln/db';
import { duplicateRedis, OnlineStateStore, type RedisClient } from '@kiln/queue';
import {
  createStepper,
  decodeState,
  decodeWeights,
  encodeState,
  type Mamba4RecConfig,
  type OnlineState,
  type OnlineStepper,
  type StatePrecision,
  withSeen,
} from '@kiln/ssm/online';
import type { OnlineApi, OnlineQuery, OnlineRecommendations } from './types.js';

/** A model as the online path needs it: its stepper and its item vocabulary. */
interface LoadedModel {
  id: string;
  datasetId: string;
  stepper: OnlineStepper;
  /** Dense id − 1 → external id. */
  items: string[];
  /** External id → dense id. */
  index: Map<string, number>;
}

/** How often a loaded model is checked to still exist (another replica may have deleted it). */
const MODEL_RECHECK_MS = 30_000;

export interface OnlineServiceOptions {
  db: Db;
  redis: RedisClient;
  prefix: string;
  log: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
  /** How the recurrent state is stored (KILN_ONLINE_STATE_PRECISION; default fp16, docs/adr/0021). */
  precision?: StatePrecision;
  /** Models kept loaded (LRU; default 8). */
  cachedModels?: number;
  /** Compare-and-set attempts before an event answers 503 (default 16). */
  maxAttempts?: number;
  /**
   * Bytes of recently written states kept in this process (default 64 MiB; 0: none). A POST for a
   * cached user skips reading Redis: its compare-and-set still checks the version, so a state
   * written meanwhile by another process is read again, never overwritten.
   */
  cacheBytes?: number;
}

/**
 * The online recommender (docs/adr/0021): states in Redis (OnlineStateStore), one model step per
 * event on this thread with the native kernel, answers ranked over all items.
 *
 * Events for one user apply in order and none is lost: within this process a user's requests run
 * one after the other (a promise chain per user); across processes each write is a compare-and-set
 * on the state's version, and a process that loses re-reads the state and re-applies its events.
 */
export function createOnlineService(options: OnlineServiceOptions): OnlineApi & { close(): Promise<void> } {
  // Its own connection, auto-pipelined: under a burst, the reads and compare-and-sets of many
  // events go to Redis in one write instead of one each.
  const redis = duplicateRedis(options.redis, { enableAutoPipelining: true });
  const store = new OnlineStateStore(redis, options.prefix);
  const precision = options.precision ?? 'fp16';
  const cacheSize = options.cachedModels ?? 8;
  const maxAttempts = options.maxAttempts ?? 16;
  const models = new Map<string, Promise<LoadedModel>>();
  const chains = new Map<string, Promise<unknown>>();
  const cache = new StateCache(options.cacheBytes ?? 64 * 2 ** 20);

  async function loadModel(modelId: string): Promise<LoadedModel> {
    const row = await getModelWeights(options.db, modelId);
    if (!row) throw new AppError('KILN_ERR_NOT_FOUND', `no model ${modelId}`);
    const config = row.config as Mamba4RecConfig;
    const stepper = createStepper(config, decodeWeights(config, row.weights));
    const rows = await options.db.datasetItem.findMany({
      where: { datasetId: row.datasetId },
      orderBy: { idx: 'asc' },
      select: { idx: true, externalId: true },
    });
    const items = new Array<string>(config.nItems);
    const index = new Map<string, number>();
    for (const r of rows) {
      items[r.idx - 1] = r.externalId;
      index.set(r.externalId, r.idx);
    }
    if (stepper.kind !== 'native') options.log.warn({ modelId }, 'online: the native addon is not loaded; steps run in the JavaScript reference (slow)');
    return { id: modelId, datasetId: row.datasetId, stepper, items, index };
  }

  /** When each loaded model was last seen in Postgres: another replica may have deleted it. */
  const checked = new Map<string, number>();

  function model(modelId: string): Promise<LoadedModel> {
    let m = models.get(modelId);
    if (m) {
      models.delete(modelId); // LRU: move to the end
      models.set(modelId, m);
      const now = Date.now();
      if (now - (checked.get(modelId) ?? now) > MODEL_RECHECK_MS) {
        // In the background: this request goes on with the loaded model; a deleted one is
        // forgotten for the next (within MODEL_RECHECK_MS of the delete, on every replica).
        checked.set(modelId, now);
        void options.db.model.findUnique({ where: { id: modelId }, select: { id: true } }).then(
          (row) => {
            if (!row) {
              models.delete(modelId);
              checked.delete(modelId);
              cache.dropPrefix(`${modelId}\n`);
            }
          },
          () => undefined,
        );
      }
      return m;
    }
    m = loadModel(modelId);
    models.set(modelId, m);
    checked.set(modelId, Date.now());
    m.catch(() => models.delete(modelId));
    while (models.size > cacheSize) models.delete(models.keys().next().value as string);
    return m;
  }

  /** Runs `fn` after every earlier call for the same key in this process. */
  function serial<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = chains.get(key) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const settled = next.catch(() => undefined);
    chains.set(key, settled);
    void settled.then(() => {
      if (chains.get(key) === settled) chains.delete(key);
    });
    return next;
  }

  /** The user's stored state, or their history in the model's dataset replayed, or the empty state. */
  async function current(m: LoadedModel, user: string, cached?: { version: number; blob: Buffer }): Promise<{ version: number; state: OnlineState }> {
    const stored = cached ?? (await store.load(m.id, user));
    if (stored.blob)
      return { version: stored.version, state: decodeState(stored.blob, { stateFloats: m.stepper.dims.stateFloats, hidden: m.stepper.dims.hidden }) };
    const state: OnlineState = { events: 0, hidden: null, state: m.stepper.emptyState(), seen: new Int32Array(0) };
    const row = await options.db.datasetUser.findUnique({
      where: { datasetId_externalId: { datasetId: m.datasetId, externalId: user } },
      select: { items: true },
    });
    if (row && row.items.length > 0) {
      const seq = Int32Array.from(row.items);
      state.hidden = m.stepper.advance(state.state, seq);
      state.events = seq.length;
      state.seen = withSeen(state.seen, seq);
    }
    return { version: stored.version, state };
  }

  function answer(m: LoadedModel, user: string, version: number, s: OnlineState, query: OnlineQuery): OnlineRecommendations {
    const base = { modelId: m.id, user, events: s.events, version };
    if (!s.hidden) return { ...base, items: [] };
    const top = m.stepper.topK(s.hidden, query.k, query.excludeSeen ? s.seen : undefined);
    return { ...base, items: Array.from(top.items, (item, r) => ({ item: m.items[item - 1] as string, score: top.scores[r] as number })) };
  }

  return {
    async postEvents(modelId, user, items, query) {
      const m = await model(modelId);
      const dense = new Int32Array(items.length);
      const unknown: string[] = [];
      let first = -1;
      items.forEach((id, i) => {
        const d = m.index.get(id);
        if (d === undefined) {
          if (first < 0) first = i;
          unknown.push(id);
        } else dense[i] = d;
      });
      if (unknown.length > 0) {
        throw new AppError('KILN_ERR_ITEM_UNKNOWN', `items[${first}]: model ${modelId} has no item ${JSON.stringify(items[first])}`, {
          details: { field: `items[${first}]`, unknown: unknown.slice(0, 100) },
        });
      }
      const key = `${modelId}\n${user}`;
      return serial(key, async () => {
        for (let attempt = 1; ; attempt++) {
          // First from this process's copy of the last state it wrote (checked by the version).
          const cached = attempt === 1 ? cache.get(key) : undefined;
          const { version, state } = await current(m, user, cached);
          state.hidden = m.stepper.advance(state.state, dense);
          state.events += dense.length;
          state.seen = withSeen(state.seen, dense);
          const blob = encodeState(state, precision);
          const written = await store.compareAndSet(modelId, user, version, blob);
          if (written !== null) {
            cache.set(key, { version: written, blob });
            return answer(m, user, written, state, query);
          }
          cache.delete(key);
          if (attempt >= maxAttempts) {
            throw new AppError('KILN_ERR_UNAVAILABLE', `user ${user}: ${attempt} concurrent writes in a row won over this one; retry`);
          }
        }
      });
    },

    async recommendations(modelId, user, query) {
      const m = await model(modelId);
      const { version, state } = await current(m, user);
      return answer(m, user, version, state, query);
    },

    async dropModel(modelId) {
      models.delete(modelId);
      cache.dropPrefix(`${modelId}\n`);
      const n = await store.dropModel(modelId);
      if (n > 0) options.log.info({ modelId, states: n }, 'online: states of a deleted model dropped');
    },

    async close() {
      await Promise.allSettled([...chains.values()]);
      models.clear();
      redis.disconnect();
    },
  };
}

/** The last state this process wrote per user, least recently used first out, bounded in bytes. */
class StateCache {
  private readonly entries = new Map<string, { version: number; blob: Buffer }>();
  private bytes = 0;

  constructor(private readonly limit: number) {}

  get(key: string): { version: number; blob: Buffer } | undefined {
    const e = this.entries.get(key);
    if (e) {
      this.entries.delete(key);
      this.entries.set(key, e);
    }
    return e;
  }

  set(key: string, e: { version: number; blob: Buffer }): void {
    this.delete(key);
    if (e.blob.length > this.limit) return;
    this.entries.set(key, e);
    this.bytes += e.blob.length;
    for (const [k, old] of this.entries) {
      if (this.bytes <= this.limit) break;
      this.entries.delete(k);
      this.bytes -= old.blob.length;
    }
  }

  delete(key: string): void {
    const e = this.entries.get(key);
    if (e) {
      this.entries.delete(key);
      this.bytes -= e.blob.length;
    }
  }

  dropPrefix(prefix: string): void {
    for (const k of [...this.entries.keys()]) if (k.startsWith(prefix)) this.delete(k);
  }
}
