import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

/** A throw-away Redis Cluster of local masters (no replicas), its data in a temp dir. */
export interface LocalCluster {
  ports: number[];
  /** `redis+cluster://127.0.0.1:p1?nodes=127.0.0.1:p2,…`: Kiln's REDIS_URL form for a cluster. */
  url: string;
  /** The master that holds `key`'s slot, and its port. */
  ownerOf(key: string): Promise<number>;
  stop(): Promise<void>;
}

const which = (bin: string) => spawnSync('sh', ['-c', `command -v ${bin}`], { encoding: 'utf8' }).stdout.trim() || null;

/** Why a cluster cannot be started here (missing binaries), or null. */
export function clusterUnavailable(): string | null {
  if (!which('redis-server') || !which('redis-cli')) return 'redis-server and redis-cli are not installed (apt-get install redis-server)';
  return null;
}

async function freePort(): Promise<number> {
  // Cluster nodes also listen on port + 10000 (the cluster bus): keep both below 65536.
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const s = createServer();
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    if (port + 10_000 < 65_536) return port;
  }
}

export async function startLocalCluster(masters = 3): Promise<LocalCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'kiln-cluster-'));
  const ports: number[] = [];
  const procs: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(
      procs.map(
        (p) =>
          new Promise<void>((resolve) => {
            if (p.exitCode !== null || p.signalCode !== null) return resolve();
            p.once('exit', () => resolve());
            p.kill('SIGKILL');
          }),
      ),
    );
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < masters; i++) {
      const port = await freePort();
      ports.push(port);
      const nodeDir = join(dir, String(port));
      mkdirSync(nodeDir, { recursive: true });
      const proc = spawn(
        'redis-server',
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          join(nodeDir, 'nodes.conf'),
          '--cluster-node-timeout',
          '2000',
          '--dir',
          nodeDir,
          '--save',
          '',
          '--appendonly',
          'no',
          '--maxmemory-policy',
          'noeviction',
        ],
        { stdio: 'ignore' },
      );
      procs.push(proc);
    }
    for (const port of ports) await waitForPing(port);
    const created = spawnSync('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes'], {
      encoding: 'utf8',
    });
    if (created.status !== 0) throw new Error(`redis-cli --cluster create failed: ${created.stdout}\n${created.stderr}`);
    for (const port of ports) await waitForClusterOk(port);
  } catch (error) {
    await stop();
    throw error;
  }
  const [first, ...rest] = ports;
  const url = `redis+cluster://127.0.0.1:${first}?nodes=${rest.map((p) => `127.0.0.1:${p}`).join(',')}`;
  return {
    ports,
    url,
    async ownerOf(key) {
      const r = new Redis(first!, '127.0.0.1');
      try {
        const slot = (await r.call('CLUSTER', 'KEYSLOT', key)) as number;
        const slots = (await r.call('CLUSTER', 'SLOTS')) as Array<[number, number, [string, number, ...unknown[]]]>;
        const range = slots.find(([lo, hi]) => slot >= lo && slot <= hi);
        if (!range) throw new Error(`no master serves slot ${slot}`);
        return range[2][1];
      } finally {
        r.disconnect();
      }
    },
    stop,
  };
}

async function waitForPing(port: number): Promise<void> {
  for (let i = 0; ; i++) {
    const r = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    r.on('error', () => undefined);
    try {
      await r.connect();
      if ((await r.ping()) === 'PONG') return;
    } catch (error) {
      if (i > 200) throw new Error(`redis-server on ${port} did not start: ${(error as Error).message}`);
    } finally {
      r.disconnect();
    }
    await new Promise((res) => setTimeout(res, 50));
  }
}

async function waitForClusterOk(port: number): Promise<void> {
  const r = new Redis(port, '127.0.0.1');
  try {
    for (let i = 0; ; i++) {
      const info = (await r.call('CLUSTER', 'INFO')) as string;
      if (/cluster_state:ok/.test(info)) return;
      if (i > 400) throw new Error(`cluster node ${port} never reached cluster_state:ok:\n${info}`);
      await new Promise((res) => setTimeout(res, 50));
    }
  } finally {
    r.disconnect();
  }
}
