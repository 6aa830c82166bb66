import type { RedisClient } from './redis.js';

/**
 * Where the online recommender keeps each (model, user)'s recurrent state (docs/adr/0021): one
 * Redis hash per user, `v` its version (1 per applied write) and `s` the encoded state. A write is
 * a compare-and-set on `v` in a script, so two API processes applying events to one user cannot
 * lose either: the loser reads again and re-applies its events on the winner's state.
 *
 * Keys: `<prefix without braces>:online:<modelId>:{<user>}`. The {hash tag} is the user, so on a
 * Redis Cluster the states of one model spread over every node (the queue prefix's own tag would
 * put them all in one slot).
 */
export interface StoredState {
  /** 0 when there is no state. */
  version: number;
  blob: Buffer | null;
}

const CAS = `
local v = redis.call('HGET', KEYS[1], 'v')
if (v or '0') ~= ARGV[1] then return -1 end
local n = tonumber(ARGV[1]) + 1
redis.call('HSET', KEYS[1], 'v', n, 's', ARGV[2])
return n`;

const BUMP = `
local n = redis.call('HINCRBY', KEYS[1], 'v', 1)
redis.call('HSET', KEYS[1], 's', ARGV[1])
return n`;

type ScriptClient = RedisClient & {
  kilnOnlineCas(key: string, expected: string, blob: Buffer): Promise<number>;
  kilnOnlineBump(key: string, blob: Buffer): Promise<number>;
};

export class OnlineStateStore {
  private readonly redis: ScriptClient;
  private readonly base: string;

  constructor(redis: RedisClient, prefix: string) {
    const r = redis as ScriptClient;
    if (typeof r.kilnOnlineCas !== 'function') {
      r.defineCommand('kilnOnlineCas', { numberOfKeys: 1, lua: CAS });
      r.defineCommand('kilnOnlineBump', { numberOfKeys: 1, lua: BUMP });
    }
    this.redis = r;
    this.base = `${prefix.replace(/[{}]/g, '')}:online`;
  }

  key(modelId: string, user: string): string {
    return `${this.base}:${modelId}:{${user}}`;
  }

  async load(modelId: string, user: string): Promise<StoredState> {
    const [v, s] = (await this.redis.hmgetBuffer(this.key(modelId, user), 'v', 's')) as [Buffer | null, Buffer | null];
    return { version: v === null ? 0 : Number(v.toString()), blob: s };
  }

  /** Writes `blob` if the stored version is still `expected`; returns the new version, or null when another write came first. */
  async compareAndSet(modelId: string, user: string, expected: number, blob: Buffer): Promise<number | null> {
    const n = await this.redis.kilnOnlineCas(this.key(modelId, user), String(expected), blob);
    return n < 0 ? null : n;
  }

  /** Overwrites many users' states (priming), each with its version bumped; pipelined in batches. */
  async putMany(modelId: string, entries: Iterable<{ user: string; blob: Buffer }>, batch = 256): Promise<number> {
    let written = 0;
    let pipe = this.redis.pipeline() as ReturnType<RedisClient['pipeline']> & { kilnOnlineBump(key: string, blob: Buffer): unknown };
    let pending = 0;
    const flush = async () => {
      if (pending === 0) return;
      const results = await pipe.exec();
      for (const [err] of results ?? []) if (err) throw err;
      written += pending;
      pending = 0;
      pipe = this.redis.pipeline() as typeof pipe;
    };
    for (const { user, blob } of entries) {
      pipe.kilnOnlineBump(this.key(modelId, user), blob);
      if (++pending >= batch) await flush();
    }
    await flush();
    return written;
  }

  /** Deletes every state of a model (SCAN + UNLINK on every node); returns how many. */
  async dropModel(modelId: string): Promise<number> {
    const match = `${this.base}:${modelId}:*`;
    const nodes = 'nodes' in this.redis && typeof this.redis.nodes === 'function' ? this.redis.nodes('master') : [this.redis];
    let dropped = 0;
    for (const node of nodes) {
      let cursor = '0';
      do {
        const [next, keys] = await node.scan(cursor, 'MATCH', match, 'COUNT', 1000);
        cursor = next;
        for (const k of keys) dropped += await node.unlink(k);
      } while (cursor !== '0');
    }
    return dropped;
  }
}
