import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { errorCodes } from '@kiln/contracts';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (name === 'node_modules' || name === 'generated') return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|js|mjs)$/.test(name) && !name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('docs/errors.md', () => {
  const doc = readFileSync(join(root, 'docs/errors.md'), 'utf8');
  const rows = [...doc.matchAll(/^\| `(KILN_ERR_[A-Z_]+)` \| (\d+) \| (yes|no) \|/gm)].map((m) => ({
    code: m[1]!,
    status: Number(m[2]),
    retryable: m[3] === 'yes',
  }));

  it('lists exactly the codes of the catalog, with their status and retryability', () => {
    expect(rows.map((r) => r.code).sort()).toEqual(Object.keys(errorCodes).sort());
    for (const r of rows) {
      const def = errorCodes[r.code as keyof typeof errorCodes];
      expect({ code: r.code, status: r.status, retryable: r.retryable }).toEqual({ code: r.code, status: def.status, retryable: def.retryable });
    }
  });

  it('knows every code the code base uses', () => {
    const used = new Set<string>();
    for (const dir of ['packages', 'services']) {
      for (const file of sourceFiles(join(root, dir))) for (const m of readFileSync(file, 'utf8').matchAll(/KILN_ERR_[A-Z_]+[A-Z]/g)) used.add(m[0]);
    }
    const unknown = [...used].filter((c) => !(c in errorCodes));
    expect(unknown).toEqual([]);
  });
});
