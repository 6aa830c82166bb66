import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseBqp, parseGset } from '@kiln/qubo';
import { afterAll, describe, expect, it } from 'vitest';
import { type BestKnownEntry, parseBestKnown } from './best-known.js';
import { type EdgeList, planarEdges, randomGraphEdges } from './families.js';
import { assertSimpleSorted, degrees, isConnected } from './graph-checks.js';
import { type BqpFileSpec, type GraphSpec, GRAPH_SIZES, instanceNames, QUBO_SET_BQP, QUBO_SET_GRAPHS, setFiles, sha256, writeQuboSet } from './qubo-set.js';

// Every file's text, made once (about 19 MB).
const files = setFiles().map((f) => ({ ...f, body: f.text() }));
const graphFiles = files.filter((f): f is (typeof files)[number] & { spec: GraphSpec } => f.spec.kind === 'maxcut');
const bqpFiles = files.filter((f): f is (typeof files)[number] & { spec: BqpFileSpec } => f.spec.kind === 'bqp');

describe('the set', () => {
  it('has 8 graphs at each of n = 800, 2000, 5000, 10000 and two bqp problems at each of n = 500, 1000, 2500', () => {
    expect(QUBO_SET_GRAPHS).toHaveLength(32);
    for (const n of GRAPH_SIZES) {
      const at = QUBO_SET_GRAPHS.filter((g) => g.n === n);
      expect(at.map((g) => `${g.family} ${g.weights}`).sort()).toEqual(
        ['biplanar +1', 'biplanar ±1', 'planar ±1', 'random +1', 'random +1', 'random ±1', 'random ±1', 'torus ±1'].sort(),
      );
      const densities = at.filter((g) => g.family === 'random').map((g) => g.densityPct!);
      expect(densities.every((d) => d >= 0.1 && d <= 6)).toBe(true);
      expect(new Set(densities).size).toBe(2);
    }
    expect(QUBO_SET_BQP.map((b) => [b.n, b.seeds.length, b.densityPct, b.maxAbs])).toEqual([
      [500, 2, 10, 100],
      [1000, 2, 10, 100],
      [2500, 2, 10, 100],
    ]);
  });

  it('names every instance once, apart from the public G-set and OR-Library names', () => {
    const names = files.flatMap((f) => instanceNames(f.spec));
    expect(names).toHaveLength(38);
    expect(new Set(names).size).toBe(38);
    for (const n of names) expect(/^G\d+$/.test(n) || /^bqp\d+-\d+$/.test(n)).toBe(false);
    expect(new Set(files.map((f) => f.path)).size).toBe(files.length);
  });

  it('keeps the seeds apart (no two instances share a structure except p1/pm1 twins)', () => {
    const bySeed = new Map<number, string[]>();
    for (const g of QUBO_SET_GRAPHS) bySeed.set(g.seed, [...(bySeed.get(g.seed) ?? []), g.name]);
    for (const [, names] of bySeed) {
      expect(names.length).toBeLessThanOrEqual(2);
      if (names.length === 2) expect(names[0]!.replace(/-p1$/, '')).toBe(names[1]!.replace(/-pm1$/, ''));
    }
    const bqpSeeds = QUBO_SET_BQP.flatMap((b) => b.seeds);
    expect(new Set([...bqpSeeds, ...bySeed.keys()]).size).toBe(bqpSeeds.length + bySeed.size);
  });
});

describe("every graph file parses with parseGset and has its family's shape", () => {
  it.each(graphFiles.map((f) => [f.spec.name, f] as const))('%s', (_, f) => {
    const spec = f.spec;
    const graph = parseGset(f.body);
    const g: EdgeList = { n: graph.n, u: graph.edges.u, v: graph.edges.v };
    expect(g.n).toBe(spec.n);
    assertSimpleSorted(g);
    const m = g.u.length;
    const d = degrees(g);
    switch (spec.family) {
      case 'torus':
        expect(spec.rows! * spec.cols!).toBe(spec.n);
        expect(m).toBe(2 * spec.n);
        expect(d.every((x) => x === 4)).toBe(true);
        break;
      case 'planar':
        expect(m).toBe(planarEdges(spec.n, spec.densityPct!));
        expect(m).toBeLessThanOrEqual(3 * spec.n - 6);
        break;
      case 'biplanar':
        expect(m).toBeGreaterThan(3 * spec.n - 6);
        expect(m).toBeLessThanOrEqual(2 * planarEdges(spec.n, spec.densityPct!));
        break;
      case 'random': {
        expect(m).toBe(randomGraphEdges(spec.n, spec.densityPct!));
        const density = (100 * m) / ((spec.n * (spec.n - 1)) / 2);
        expect(Math.abs(density - spec.densityPct!) / spec.densityPct!).toBeLessThan(0.001);
        break;
      }
    }
    if (spec.family !== 'random') expect(isConnected(g)).toBe(true); // a sparse G(n, m) (average degree 5) may leave a vertex alone
    const w = graph.edges.w;
    if (spec.weights === '+1') expect(w.every((x) => x === 1)).toBe(true);
    else {
      expect(w.every((x) => x === 1 || x === -1)).toBe(true);
      const negative = w.filter((x) => x === -1).length / m;
      expect(Math.abs(negative - 0.5)).toBeLessThan(5 / Math.sqrt(m)); // 10 σ
    }
  });

  it('a p1 graph and its pm1 twin have the same edges', () => {
    for (const p1 of graphFiles.filter((f) => f.spec.weights === '+1')) {
      const twin = graphFiles.find((f) => f.spec.name === p1.spec.name.replace(/-p1$/, '-pm1'))!;
      const a = parseGset(p1.body).edges;
      const b = parseGset(twin.body).edges;
      expect(Array.from(a.u)).toEqual(Array.from(b.u));
      expect(Array.from(a.v)).toEqual(Array.from(b.v));
    }
  });
});

describe('every bqp file parses with parseBqp', () => {
  it.each(bqpFiles.map((f) => [f.spec.stem, f] as const))('%s: two problems, density ≈ 10 percent, weights nonzero integers in [−100, 100]', (_, f) => {
    const problems = parseBqp(f.body);
    expect(problems.map((p) => p.index)).toEqual([1, 2]);
    for (const { problem } of problems) {
      expect(problem.n).toBe(f.spec.n);
      expect(problem.sense).toBe('max');
      const nnz = problem.terms.w.length;
      expect(Math.abs(nnz / ((f.spec.n * (f.spec.n + 1)) / 2) - 0.1)).toBeLessThan(0.003);
      // parseBqp stores −q on the diagonal and −2q off it (the file maximises q_ii x_i + 2 q_ij x_i x_j).
      const { i, j, w } = problem.terms;
      let bad = 0;
      for (let k = 0; k < nnz; k++) {
        const q = i[k] === j[k] ? -w[k]! : -w[k]! / 2;
        if (!(Number.isInteger(q) && q !== 0 && Math.abs(q) <= 100 && i[k]! <= j[k]!)) bad++;
      }
      expect(bad).toBe(0);
    }
    expect(problems[0]!.problem.terms.w).not.toEqual(problems[1]!.problem.terms.w);
  });
});

describe('determinism', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('the same call writes byte-identical files', () => {
    const pick = setFiles().filter((f) =>
      ['gset/torus-800-pm1.txt', 'gset/biplanar-800-p1.txt', 'gset/random-800-1pct-pm1.txt', 'orlib/kbqp500.txt'].includes(f.path),
    );
    const runs = [0, 1].map(() => {
      const dir = mkdtempSync(join(tmpdir(), 'kiln-qubo-set-'));
      dirs.push(dir);
      return { dir, written: writeQuboSet(dir, pick) };
    });
    expect(runs[0]!.written.map((w) => w.sha256)).toEqual(runs[1]!.written.map((w) => w.sha256));
    for (const f of pick) expect(readFileSync(join(runs[0]!.dir, f.path)).equals(readFileSync(join(runs[1]!.dir, f.path)))).toBe(true);
  });

  it('gives the pinned bytes (a changed generator would make the stored references meaningless)', () => {
    const hash = (path: string): string => sha256(files.find((f) => f.path === path)!.body);
    expect(hash('gset/torus-800-pm1.txt')).toBe('a5445617267d84bcd9f5bfa0269c71da3d553f2f6727420916adb70a0da6ebed');
    expect(hash('gset/biplanar-800-p1.txt')).toBe('c415516a52c6d865db0d9ed2b2d4e8923c456931ab1911e4a107a9b62014f32f');
    expect(hash('gset/random-800-1pct-pm1.txt')).toBe('83fabc59b7a978945ed36fc12b8abe6e97ff6c0b3c8b44a6c0c48bbb7bdfb8b8');
    expect(hash('orlib/kbqp500.txt')).toBe('95a80071fb0d90fdf6148587201ba5227e44d1cfe6dfb5a40a271e68a2244f10');
  });

  const stored = new URL('./best-known.json', import.meta.url);
  it.runIf(existsSync(stored))('best-known.json: every entry is an instance of the set, made from the same bytes, in the form bench/qubo.ts reads', () => {
    const file = parseBestKnown(readFileSync(stored, 'utf8'));
    const hashOf = new Map(files.flatMap((f) => instanceNames(f.spec).map((n) => [n, sha256(f.body)] as const)));
    const entries = Object.entries(file).filter(([k]) => !k.startsWith('_')) as Array<[string, BestKnownEntry]>;
    expect(entries.length).toBeGreaterThan(0);
    for (const [name, e] of entries) {
      expect(hashOf.get(name), name).toBe(e.sha256);
      expect(e.kind === 'maxcut' || e.kind === 'bqp').toBe(true);
      expect(e.sense).toBe('max');
      expect(Number.isInteger(e.value) && e.value > 0).toBe(true);
      expect(e.runsAtValue).toBeGreaterThanOrEqual(1);
    }
    expect(file._note).toMatch(/only ever replaced by a better value/);
    expect(file._runs.length).toBeGreaterThan(0);
  });
});
