import { Redis, type RedisOptions } from 'ioredis';

/**
 * An ioredis connection for BullMQ. Workers and subscribers need `maxRetriesPerRequest: null`
 * (blocking commands wait through reconnects); producers fail fast instead, so an HTTP request
 * never hangs on a lost Redis.
 */
export function createRedis(url: string, role: 'producer' | 'worker' | 'subscriber', extra: RedisOptions = {}): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: role === 'producer' ? 2 : null,
    connectionName: `kiln-${role}`,
    lazyConnect: false,
    ...extra,
  });
}

/** The Redis key and channel names Kiln adds beside BullMQ's, under the same prefix. */
export const kilnKeys = {
  cancelChannel: (prefix: string) => `${prefix}:kiln:cancel`,
  cancelFlag: (prefix: string, jobId: string) => `${prefix}:kiln:cancel:${jobId}`,
};
