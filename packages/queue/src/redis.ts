import { Cluster, type ClusterNode, Redis, type RedisOptions } from 'ioredis';

/** A connection to a single Redis or to a Redis Cluster: BullMQ and Kiln's own commands take either. */
export type RedisClient = Redis | Cluster;

/**
 * Where a `REDIS_URL` points. A single server is `redis://[user:pass@]host:port[/db]` (`rediss://`
 * for TLS). A Redis Cluster is `redis+cluster://[user:pass@]host:port[?nodes=host:port,host:port]`
 * (`rediss+cluster://` for TLS): one seed node is enough (the client reads the slot map from it);
 * more seeds in `nodes` let it start while one of them is down.
 */
export interface RedisTarget {
  cluster: boolean;
  url: string;
  nodes: ClusterNode[];
  options: RedisOptions;
}

export function parseRedisUrl(url: string): RedisTarget {
  const u = new URL(url);
  const scheme = u.protocol.replace(/:$/, '');
  const cluster = scheme === 'redis+cluster' || scheme === 'rediss+cluster';
  if (!cluster) return { cluster: false, url, nodes: [], options: {} };
  if (!u.hostname) throw new Error(`REDIS_URL ${redact(url)} names no host`);
  const node = (hostPort: string): ClusterNode => {
    const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(hostPort.trim());
    if (!m?.[1] || !m[2]) throw new Error(`REDIS_URL ${redact(url)}: "${hostPort}" is not host:port`);
    return { host: m[1], port: Number(m[2]) };
  };
  const nodes: ClusterNode[] = [{ host: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port || 6379) }];
  for (const extra of (u.searchParams.get('nodes') ?? '').split(',').filter(Boolean)) nodes.push(node(extra));
  const options: RedisOptions = {
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(scheme === 'rediss+cluster' ? { tls: {} } : {}),
  };
  return { cluster: true, url, nodes, options };
}

/** BullMQ needs every key of a queue in one slot: on a cluster the prefix must carry a `{hash tag}`. */
export function checkPrefixForCluster(redisUrl: string, prefix: string): void {
  if (parseRedisUrl(redisUrl).cluster && !/\{[^{}]+\}/.test(prefix)) {
    throw new Error(
      `KILN_QUEUE_PREFIX "${prefix}" has no {hash tag}: on a Redis Cluster every BullMQ key of a queue must hash to one slot; use e.g. KILN_QUEUE_PREFIX={${prefix}}`,
    );
  }
}

const redact = (url: string) => url.replace(/\/\/[^@/]*@/, '//***@');

/**
 * An ioredis connection for BullMQ, to a single Redis or a cluster (see `parseRedisUrl`). Workers
 * and subscribers need `maxRetriesPerRequest: null` (blocking commands wait through reconnects);
 * producers fail fast instead, so an HTTP request never hangs on a lost Redis.
 */
export function createRedis(url: string, role: 'producer' | 'worker' | 'subscriber', extra: RedisOptions = {}): RedisClient {
  const options: RedisOptions = {
    maxRetriesPerRequest: role === 'producer' ? 2 : null,
    connectionName: `kiln-${role}`,
    lazyConnect: false,
    ...extra,
  };
  const target = parseRedisUrl(url);
  if (!target.cluster) return new Redis(url, options);
  const { enableAutoPipelining, lazyConnect, ...perNode } = options;
  return new Cluster(target.nodes, {
    // BullMQ checks maxRetriesPerRequest here, in the options every node connection gets.
    redisOptions: { ...perNode, ...target.options },
    ...(enableAutoPipelining ? { enableAutoPipelining } : {}),
    ...(lazyConnect ? { lazyConnect } : {}),
  });
}

/** The Redis key and channel names Kiln adds beside BullMQ's, under the same prefix. */
export const kilnKeys = {
  cancelChannel: (prefix: string) => `${prefix}:kiln:cancel`,
  cancelFlag: (prefix: string, jobId: string) => `${prefix}:kiln:cancel:${jobId}`,
};

/** A new connection with `client`'s settings and `extra` (e.g. enableAutoPipelining) on top. */
export function duplicateRedis(client: RedisClient, extra: RedisOptions): RedisClient {
  return client instanceof Cluster ? client.duplicate(undefined, extra) : client.duplicate(extra);
}
