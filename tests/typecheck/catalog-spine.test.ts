import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// The catalog is the spine: the API's preparers and each worker's handlers are typed over it, so
// a kind added to the catalog without them, or a handler of the wrong shape, fails the type check.
// Proved by compiling the real API and workers against fixture catalogs with the project's tsc.
const root = fileURLToPath(new URL('../../', import.meta.url));
const fixtures = join(root, 'tests/typecheck/fixtures');
const tmp = mkdtempSync(join(root, 'tests/typecheck/.tsc-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const spine = ['services/api/src/prepare.ts', 'services/worker-qubo/src/worker.ts', 'services/worker-ssm/src/worker.ts'].map((f) => join(root, f));

function typecheck(name: string, files: string[], contracts?: string): { ok: boolean; out: string } {
  const config = {
    extends: join(root, 'tsconfig.base.json'),
    compilerOptions: { noEmit: true, ...(contracts ? { paths: { '@kiln/contracts': [contracts] } } : {}) },
    files,
  };
  const path = join(tmp, `${name}.json`);
  writeFileSync(path, JSON.stringify(config));
  const res = spawnSync(join(root, 'node_modules/.bin/tsc'), ['-p', path], { encoding: 'utf8', cwd: root });
  return { ok: res.status === 0, out: `${res.stdout}${res.stderr}` };
}

describe('the catalog as the spine (compiled with tsc)', () => {
  it('compiles the API preparers and the worker handler tables against the real catalog', () => {
    const { ok, out } = typecheck('control', spine);
    expect(out).toBe('');
    expect(ok).toBe(true);
  });

  it('fails when a kind has no preparer in the API and no handler in its worker', () => {
    const { ok, out } = typecheck('new-kind', spine, join(fixtures, 'contracts-with-new-kind.ts'));
    expect(ok).toBe(false);
    const errors = out.split('\n').filter((l) => l.includes('error TS'));
    expect(errors.some((l) => l.startsWith('services/api/src/prepare.ts') && l.includes('demo.echo'))).toBe(true);
    expect(errors.some((l) => l.startsWith('services/worker-qubo/src/worker.ts') && l.includes('demo.echo'))).toBe(true);
    // The other worker does not run the new kind: it still compiles.
    expect(errors.filter((l) => l.startsWith('services/worker-ssm'))).toEqual([]);
  });

  it('fails when a handler returns the wrong result or reports the wrong progress', () => {
    const { ok, out } = typecheck('wrong-result', [join(fixtures, 'wrong-result.ts')]);
    expect(ok).toBe(false);
    const errors = out.split('\n').filter((l) => l.startsWith('tests/typecheck/fixtures/wrong-result.ts'));
    expect(errors.some((l) => l.includes("'percent'"))).toBe(true);
    expect(errors.some((l) => /solved|missing the following properties/.test(l))).toBe(true);
  });
});
