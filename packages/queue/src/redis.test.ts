import { describe, expect, it } from 'vitest';
import { checkPrefixForCluster, parseRedisUrl } from './redis.js';

describe('REDIS_URL', () => {
  it('names a single server by redis:// or rediss://', () => {
    expect(parseRedisUrl('redis://127.0.0.1:6379').cluster).toBe(false);
    expect(parseRedisUrl('rediss://user:pw@redis.example:6380/2').cluster).toBe(false);
  });

  it('names a cluster by redis+cluster://, with more seed nodes, credentials and TLS', () => {
    const t = parseRedisUrl('rediss+cluster://kiln:s%40cret@10.0.0.1:7000?nodes=10.0.0.2:7001,[::1]:7002');
    expect(t.cluster).toBe(true);
    expect(t.nodes).toEqual([
      { host: '10.0.0.1', port: 7000 },
      { host: '10.0.0.2', port: 7001 },
      { host: '::1', port: 7002 },
    ]);
    expect(t.options).toEqual({ username: 'kiln', password: 's@cret', tls: {} });
    expect(parseRedisUrl('redis+cluster://redis-0.redis:6379').nodes).toEqual([{ host: 'redis-0.redis', port: 6379 }]);
  });

  it('refuses a seed that is not host:port, without echoing the password', () => {
    expect(() => parseRedisUrl('redis+cluster://u:hunter2@h:7000?nodes=nohostport')).toThrow(/"nohostport" is not host:port/);
    expect(() => parseRedisUrl('redis+cluster://u:hunter2@h:7000?nodes=nohostport')).not.toThrow(/hunter2/);
  });

  it('asks for a {hash tag} in the prefix on a cluster only', () => {
    expect(() => checkPrefixForCluster('redis+cluster://h:7000', 'kiln')).toThrow(/KILN_QUEUE_PREFIX=\{kiln\}/);
    expect(() => checkPrefixForCluster('redis+cluster://h:7000', '{kiln}')).not.toThrow();
    expect(() => checkPrefixForCluster('redis://h:6379', 'kiln')).not.toThrow();
  });
});
