import { loadNative, nativeStatus } from '@kiln/kernels';
import { describe, expect, it } from 'vitest';
import { type PlanMember, planAuto } from './auto.js';
import { AUTO_RULE, type AutoRuleTable } from './auto-rule.js';
import { bruteForce } from './brute-force.js';
import { toCsr } from './csr.js';
import { energy } from './energy.js';
import { graphFromEdges } from './graph.js';
import { cutValue, maxCutQubo } from './max-cut.js';
import { misQubo } from './mis.js';
import { deriveSeed, nextFloat, nextU32, seedState } from './rng.js';
import { problemShape } from './shape.js';
import { solve } from './solve.js';
import { randomQubo } from './test-helpers.js';
import type { Graph, QuboProblem } from './types.js';

const modes = ['sa', 'loihi', 'tabu', 'auto'] as const;

/** A QUBO with non-integer weights (energies are sums of doubles) and an offset. */
function fractionalQubo(n: number, density: number, seed: number): QuboProblem {
  const p = randomQubo(n, density, seed);
  return { ...p, terms: { ...p.terms, w: p.terms.w.map((w) => w * 0.37 + 0.013) }, offset: -1.25 };
}

function randomGraph(n: number, m: number, seed: number, signed: boolean): Graph {
  const st = seedState(deriveSeed(seed, 7));
  const seen = new Set<number>();
  const edges: Array<[number, number, number]> = [];
  while (edges.length < m) {
    const u = nextU32(st) % n;
    const v = nextU32(st) % n;
    if (u === v || seen.has(Math.min(u, v) * n + Math.max(u, v))) continue;
    seen.add(Math.min(u, v) * n + Math.max(u, v));
    edges.push([u, v, signed && nextFloat(st) < 0.5 ? -1 : 1]);
  }
  return graphFromEdges(n, edges);
}

function torus(side: number, seed: number): Graph {
  const st = seedState(deriveSeed(seed, 3));
  const edges: Array<[number, number, number]> = [];
  for (let r = 0; r < side; r++) {
    for (let c = 0; c < side; c++) {
      const v = r * side + c;
      edges.push([v, r * side + ((c + 1) % side), nextFloat(st) < 0.5 ? -1 : 1]);
      edges.push([v, ((r + 1) % side) * side + c, nextFloat(st) < 0.5 ? -1 : 1]);
    }
  }
  return graphFromEdges(side * side, edges);
}

/** OR-Library-like: integer weights in [-100, 100] on a fraction of the pairs. */
function gradedQubo(n: number, density: number, seed: number): QuboProblem {
  const st = seedState(deriveSeed(seed, 5));
  const i: number[] = [];
  const j: number[] = [];
  const w: number[] = [];
  for (let a = 0; a < n; a++) {
    for (let b = a; b < n; b++) {
      if (nextFloat(st) > density) continue;
      i.push(a);
      j.push(b);
      w.push((nextU32(st) % 201) - 100);
    }
  }
  return { n, terms: { i: Int32Array.from(i), j: Int32Array.from(j), w: Float64Array.from(w) }, offset: 0, kind: 'qubo', sense: 'max' };
}

describe('auto: the plan by problem shape', () => {
  it('plans each shape class by the measured table: multispin only on couplings of one magnitude, tabu on tiny problems', () => {
    const cases: Array<[QuboProblem, string]> = [
      [gradedQubo(60, 0.3, 1), 'graded-weights'],
      [misQubo(randomGraph(100, 250, 1, false)), 'penalty-form'],
      [maxCutQubo(torus(12, 1)), 'regular-sparse'],
      [maxCutQubo(randomGraph(200, 800, 2, true)), 'sparse'],
      [maxCutQubo(randomGraph(200, 4000, 3, false)), 'dense'],
    ];
    for (const [p, cls] of cases) {
      const shape = problemShape(toCsr(p));
      const plan = planAuto(shape, 2);
      expect(plan.rule).toBe(cls);
      const want = (AUTO_RULE.classes[cls as keyof typeof AUTO_RULE.classes]?.members ?? AUTO_RULE.unseen).map((c) =>
        c === 'multispin' && shape.distinctCouplings !== 1 ? 'sa' : c,
      );
      expect(plan.members.map((m) => m.mode)).toEqual(want);
      expect(plan.members.reduce((t, m) => t + m.threads, 0)).toBe(2);
      if (shape.distinctCouplings !== 1) expect(plan.members.map((m) => m.mode)).not.toContain('multispin');
    }
    expect(planAuto(problemShape(toCsr(randomQubo(12, 0.5, 1))), 2)).toMatchObject({ rule: 'tiny', members: [{ mode: 'tabu', threads: 1 }] });
  });

  it('splits the threads of a portfolio, keeps its first member on one thread, falls back to the unseen-shape portfolio, puts sa in multispin’s place', () => {
    const table: AutoRuleTable = { generated: 'test', classes: { dense: { members: ['multispin', 'tabu'], instances: 1 } }, unseen: ['memetic', 'sa'] };
    const summary = (p: QuboProblem, threads: number) =>
      planAuto(problemShape(toCsr(p)), threads, table).members.map((m) => `${m.mode}×${m.threads}${m.grow ? ' grow' : ''}`);
    const dense = maxCutQubo(randomGraph(200, 4000, 3, false));
    expect(summary(dense, 5)).toEqual(['multispin×3 grow', 'tabu×2']);
    expect(summary(dense, 1)).toEqual(['multispin×1 grow']);
    // The same class with two coupling magnitudes: multispin cannot run it, sa takes its place.
    const twoValued = { ...dense, terms: { ...dense.terms, w: dense.terms.w.map((w, k) => (k % 2 && w > 0 ? 2 * w : w)) } };
    expect(planAuto(problemShape(toCsr(twoValued)), 2, table).members.map((m) => m.mode)).toEqual(['sa', 'tabu']);
    // A class the table has no measurements for.
    const plan = planAuto(problemShape(toCsr(maxCutQubo(torus(12, 1)))), 2, table);
    expect(plan.members.map((m) => m.mode)).toEqual(['memetic', 'sa']);
    expect(plan.reason).toMatch(/unseen/);
  });

  it('reads the shape: degrees, distinct coupling values, signs, penalty form', () => {
    const s = problemShape(toCsr(maxCutQubo(torus(6, 2))));
    expect(s).toMatchObject({
      n: 36,
      couplings: 72,
      avgDegree: 4,
      minDegree: 4,
      maxDegree: 4,
      distinctCouplings: 1,
      couplingSigns: 'mixed',
      penaltyForm: false,
    });
    // Max-Cut with positive weights has h ≤ 0 and J > 0, but J is no conflict penalty (2 < degree).
    expect(problemShape(toCsr(maxCutQubo(randomGraph(50, 200, 4, false))))).toMatchObject({ couplingSigns: 'positive', penaltyForm: false });
    expect(problemShape(toCsr(misQubo(randomGraph(50, 100, 4, false))))).toMatchObject({ penaltyForm: true, distinctCouplings: 1 });
    expect(problemShape(toCsr(gradedQubo(80, 0.5, 2))).distinctCouplings).toBe(65);
  });
});

describe.skipIf(!loadNative())(`solve, engine 'native' (${nativeStatus().loaded ? 'addon loaded' : 'no addon'})`, () => {
  it('every mode: the energy is the JS energy of the returned assignment, and the brute-force optimum is reached', async () => {
    for (const [k, p] of [fractionalQubo(18, 0.5, 1), randomQubo(20, 0.3, 2), fractionalQubo(14, 0.9, 3)].entries()) {
      const exact = bruteForce(p).energy;
      for (const mode of modes) {
        // A fixed short run (no target): whatever it returns, its energy is the JS energy of x.
        const short = await solve(p, { mode, seed: k + 1, threads: 2, restarts: false, sweeps: 5 });
        expect(short.energy, mode).toBe(energy(p, short.x));
        expect(short.evaluation.energy, mode).toBe(short.energy);
        expect(short.engine).toBe('native');
        // Restarts until the optimum (the time limit only bounds a failure).
        const r = await solve(p, { mode, seed: k + 1, threads: 2, restarts: true, timeLimitMs: 30_000, target: exact });
        expect(r.energy, `${mode} on problem ${k}`).toBeCloseTo(exact, 9);
        expect(r.energy).toBe(energy(p, r.x));
        expect(r.reachedTarget).toBe(true);
        expect(r.requestedMode).toBe(mode);
        if (mode !== 'auto') expect(r.mode).toBe(mode);
        expect(r.trace.at(-1)?.energy).toBe(r.energy);
      }
    }
  });

  it('every mode reaches the max cut of an even cycle, K_{3,4} and K_7 (one disjoint union, cut = −energy)', async () => {
    const edges: Array<[number, number]> = [];
    for (let i = 0; i < 10; i++) edges.push([i, (i + 1) % 10]);
    for (let a = 0; a < 3; a++) for (let b = 3; b < 7; b++) edges.push([10 + a, 10 + b]);
    for (let a = 0; a < 7; a++) for (let b = a + 1; b < 7; b++) edges.push([17 + a, 17 + b]);
    const graph = graphFromEdges(24, edges);
    for (const mode of modes) {
      const r = await solve(maxCutQubo(graph), { mode, seed: 4, threads: 2, restarts: true, timeLimitMs: 30_000, target: -34 });
      expect(r.value, mode).toBe(10 + 12 + 12);
      expect(r.evaluation.cut).toBe(cutValue(graph, r.x));
      expect(r.energy).toBe(-r.value);
    }
  });

  it('MIS: every mode reaches α with a feasible set; an infeasible state is repaired and its size reported', async () => {
    const c9: Array<[number, number]> = Array.from({ length: 9 }, (_, i) => [i, (i + 1) % 9]);
    const petersen = [0, 1, 2, 3, 4].flatMap((i) => [
      [9 + i, 9 + ((i + 1) % 5)],
      [9 + i, 9 + i + 5],
      [9 + i + 5, 9 + ((i + 2) % 5) + 5],
    ]) as Array<[number, number]>;
    const graph = graphFromEdges(19, [...c9, ...petersen]);
    for (const mode of modes) {
      const r = await solve(misQubo(graph), { mode, seed: 2, threads: 2, restarts: true, timeLimitMs: 30_000, target: -8 });
      expect(r.evaluation, mode).toMatchObject({ feasible: true, value: 8, setSize: 8 });
      expect(r.feasible).toBe(true);
      expect(r.energy).toBe(-8);
    }
    // One sweep at a scorching temperature of a dense graph: a random, conflicting state.
    const dense = randomGraph(40, 400, 9, false);
    const hot = await solve(misQubo(dense), { mode: 'sa', seed: 1, threads: 1, replicas: 1, restarts: false, sweeps: 1, betaStart: 1e-6, betaEnd: 1e-6 });
    expect(hot.feasible).toBe(false);
    const { repaired, setSize } = hot.evaluation;
    expect(setSize).toBe(hot.value);
    expect(repaired?.reduce((a, b) => a + b, 0)).toBe(hot.value);
    for (let k = 0; k < dense.edges.u.length; k++)
      expect((repaired?.[dense.edges.u[k] as number] ?? 0) + (repaired?.[dense.edges.v[k] as number] ?? 0)).toBeLessThan(2);
  });

  it('auto runs its plan; a portfolio stops both members at the target and reports the winner', async () => {
    const graded = gradedQubo(22, 0.5, 3);
    const a = await solve(graded, { seed: 1, threads: 2, restarts: true, timeLimitMs: 30_000, target: bruteForce(graded).energy });
    expect(a).toMatchObject({ requestedMode: 'auto', plan: { rule: 'graded-weights' }, reachedTarget: true });
    expect(a.plan.members.map((m) => m.mode)).toContain(a.mode);
    const g = randomGraph(120, 2000, 5, false);
    const portfolio: PlanMember[] = [
      { mode: 'sa', threads: 1, sweeps: 1000, grow: true, maxSweeps: 64_000 },
      { mode: 'tabu', threads: 1 },
    ];
    const r = await solve(maxCutQubo(g), { seed: 3, threads: 2, restarts: true, timeLimitMs: 1000, plan: portfolio });
    expect(r.plan.rule).toBe('explicit');
    expect(r.plan.members.map((m) => m.mode)).toEqual(['sa', 'tabu']);
    const winner = r.plan.members.find((m) => m.mode === r.mode);
    expect(winner?.energy).toBe(r.energy);
    expect(Math.min(...r.plan.members.map((m) => m.energy))).toBe(r.energy);
    // The best either found is the target of a second run: it stops as soon as one member gets there.
    const again = await solve(maxCutQubo(g), { seed: 4, threads: 2, restarts: true, timeLimitMs: 30_000, target: r.energy, plan: portfolio });
    expect(again.reachedTarget).toBe(true);
    expect(again.plan.members.every((m) => m.stoppedBy === 'target')).toBe(true);
    expect(again.flipAttempts).toBe(again.plan.members.reduce((s, m) => s + m.flipAttempts, 0));
  });

  it('is deterministic for a seed when nothing cuts the run', async () => {
    const p = randomQubo(150, 0.05, 21);
    for (const mode of ['sa', 'loihi', 'tabu'] as const) {
      const replicas = mode === 'tabu' ? 2 : 32;
      const a = await solve(p, { mode, seed: 9, threads: 2, replicas, restarts: false, sweeps: 200 });
      const b = await solve(p, { mode, seed: 9, threads: 1, replicas, restarts: false, sweeps: 200 });
      expect(Array.from(a.x), mode).toEqual(Array.from(b.x));
      expect(a.energy).toBe(b.energy);
    }
  });

  it('streams the best energy and stops every member when the signal aborts', async () => {
    const p = maxCutQubo(randomGraph(2000, 12_000, 6, true));
    const ac = new AbortController();
    const seen: number[] = [];
    const run = solve(p, {
      seed: 1,
      threads: 2,
      restarts: true,
      timeLimitMs: 600_000,
      progressIntervalMs: 20,
      signal: ac.signal,
      onProgress: (pr) => {
        seen.push(pr.bestEnergy);
        if (seen.length === 3) ac.abort(new Error('cancelled by test'));
      },
    });
    await expect(run).rejects.toThrow('cancelled by test');
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(seen.every(Number.isFinite)).toBe(true);
    for (let k = 1; k < seen.length; k++) expect(seen[k]).toBeLessThanOrEqual(seen[k - 1] as number);
  });

  it('progress ends with the result; bad options reject before anything runs', async () => {
    const p = randomQubo(30, 0.3, 8);
    const seen: Array<{ bestEnergy: number; flipAttempts: number }> = [];
    const r = await solve(p, { seed: 2, threads: 2, restarts: false, sweeps: 100, onProgress: (x) => seen.push(x) });
    expect(seen.at(-1)).toMatchObject({ bestEnergy: r.energy, flipAttempts: r.flipAttempts });
    await expect(solve(p, { mode: 'anneal' as never })).rejects.toThrow(RangeError);
    await expect(solve(p, { engine: 'gpu' as never })).rejects.toThrow(RangeError);
    await expect(solve(p, { restarts: true, timeLimitMs: Number.POSITIVE_INFINITY })).rejects.toThrow('restarts needs a finite timeLimitMs');
    await expect(solve(p, { signal: AbortSignal.abort(new Error('early')) })).rejects.toThrow('early');
  });
});
