import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBqp } from './parse-bqp.js';
import { parseGset } from './parse-gset.js';

// The licensed benchmark data lives outside the repo; this test only runs where it is present.
const DATA = process.env.KILN_QUBO_DATA ?? '/work/shared/data/qubo';

describe.skipIf(!existsSync(join(DATA, 'gset', 'G1.txt')))('real benchmark files (parse only)', () => {
  it('G1: 800 vertices, 19176 edges of weight 1', () => {
    const g = parseGset(readFileSync(join(DATA, 'gset', 'G1.txt'), 'utf8'));
    expect(g.n).toBe(800);
    expect(g.edges.u.length).toBe(19176);
    expect(g.edges.w.every((w) => w === 1)).toBe(true);
  });

  it('bqp50: 10 problems of 50 variables', () => {
    const probs = parseBqp(readFileSync(join(DATA, 'orlib', 'bqp50.txt'), 'utf8'));
    expect(probs.length).toBe(10);
    expect(probs.every((p) => p.problem.n === 50 && p.problem.sense === 'max')).toBe(true);
  });
});
