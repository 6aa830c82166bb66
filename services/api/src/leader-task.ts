import type { RedisClient } from '@kiln/queue';

export interface LeaderTaskOptions {
  redis: RedisClient;
  /** The lock's key: one replica at a time holds it and runs the task. */
  lockKey: string;
  intervalMs: number;
  /** How long the lock outlives a replica that died holding it (default 3 intervals). */
  ttlMs?: number;
  /** A first pass this soon after start, not a whole interval later. */
  firstAfterMs?: number;
  run(): Promise<void>;
  /** A pass that threw (it is tried again next interval). */
  onError(err: unknown): void;
}

/**
 * Runs `run` every `intervalMs` on the API replica that holds a Redis lock (taken with SET NX PX,
 * renewed on each pass, released on stop so another replica takes over at once). Passes never
 * overlap: a tick or `kick()` while one runs is dropped. The reconciler, retention and the pipeline
 * advancer share it.
 */
export function startLeaderTask(o: LeaderTaskOptions): { stop(): Promise<void>; kick(): void } {
  const ttl = o.ttlMs ?? o.intervalMs * 3;
  const me = `${process.pid}-${Math.random().toString(36).slice(2)}`;
  let stopped = false;
  let busy = false;
  let running: Promise<unknown> = Promise.resolve();
  const tick = async () => {
    if (stopped) return;
    try {
      const got = await o.redis.set(o.lockKey, me, 'PX', ttl, 'NX');
      if (got !== 'OK') {
        if ((await o.redis.get(o.lockKey)) !== me) return;
        await o.redis.pexpire(o.lockKey, ttl);
      }
      await o.run();
    } catch (err) {
      o.onError(err);
    }
  };
  const kick = () => {
    if (busy) return;
    busy = true;
    running = running.then(tick).finally(() => {
      busy = false;
    });
  };
  const timer = setInterval(kick, o.intervalMs);
  timer.unref();
  const first = o.firstAfterMs === undefined ? undefined : setTimeout(kick, o.firstAfterMs);
  first?.unref();
  return {
    kick,
    async stop() {
      stopped = true;
      clearInterval(timer);
      if (first) clearTimeout(first);
      await running;
      await o.redis
        .eval("if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end", 1, o.lockKey, me)
        .catch(() => undefined);
    },
  };
}
