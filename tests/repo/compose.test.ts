import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = fileURLToPath(new URL('../../', import.meta.url));

// Docker cannot run here: the compose file is parsed and each service checked against the repo.
describe('docker-compose.yml', () => {
  const compose = parse(readFileSync(`${root}docker-compose.yml`, 'utf8'), { merge: true }) as {
    services: Record<string, { command?: string[]; build?: { dockerfile: string }; image?: string; environment?: Record<string, string> }>;
  };

  it('brings up Redis (noeviction, AOF), Postgres, migrations, the API, both workers and the dashboard', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['api', 'dashboard', 'migrate', 'postgres', 'redis', 'worker-qubo', 'worker-ssm']);
    const conf = readFileSync(`${root}infra/redis.conf`, 'utf8');
    expect(conf).toMatch(/^maxmemory-policy noeviction$/m);
    expect(conf).toMatch(/^appendonly yes$/m);
  });

  it("runs commands whose files exist in the repo, built from the repo's Dockerfile", () => {
    for (const [name, svc] of Object.entries(compose.services)) {
      if (name === 'redis' || name === 'postgres') continue;
      expect(svc.build?.dockerfile, name).toBe('infra/Dockerfile');
      const entry = svc.command?.at(-1);
      expect(entry, name).toMatch(/\.ts$/);
      expect(existsSync(`${root}${entry}`), `${name}: ${entry}`).toBe(true);
      if (name !== 'migrate') expect(svc.environment?.REDIS_URL, name).toBe('redis://redis:6379');
    }
    expect(existsSync(`${root}infra/Dockerfile`)).toBe(true);
  });
});
