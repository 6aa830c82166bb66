import { energy, isingEnergy, isingToQubo, validateAndBuild } from '@kiln/qubo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startQuboWorker } from '../../services/worker-qubo/src/worker.js';
import { get, type Platform, post, quietLog, redisUrl, startPlatform, waitForJob } from '../helpers.js';
import { kiln } from './kiln-cli.js';

interface Sample {
  rank: number;
  assignment: string;
  spins?: number[];
  energy: number;
  numOccurrences: number;
}

/** Every Ising state's energy by brute force: the minimum. */
function isingMinimum(input: { h?: number[]; J?: Array<[number, number, number]>; offset?: number }, n: number): number {
  let best = Number.POSITIVE_INFINITY;
  for (let mask = 0; mask < 2 ** n; mask++)
    best = Math.min(
      best,
      isingEnergy(
        input,
        Array.from({ length: n }, (_, i) => (((mask >> i) & 1) === 1 ? 1 : -1)),
      ),
    );
  return best;
}

const bits = (a: string) => Uint8Array.from(a, (c) => (c === '1' ? 1 : 0));

describe('qubo.solve sample sets and Ising input', () => {
  let p: Platform;
  let worker: { close(): Promise<void> };
  beforeAll(async () => {
    p = await startPlatform();
    worker = await startQuboWorker({ redisUrl, databaseUrl: p.db.url, prefix: p.prefix, concurrency: 1, threads: 2, log: quietLog });
  });
  afterAll(async () => {
    await worker?.close();
    await p?.close();
  });

  async function samples(jobId: string, limit: number): Promise<Sample[]> {
    const out: Sample[] = [];
    let url: string | null = `/v1/qubo/solutions/${jobId}/samples?limit=${limit}`;
    while (url) {
      const page = await get(p.api, url);
      expect(page.status).toBe(200);
      out.push(...page.body.items);
      url = page.body.next;
    }
    return out;
  }

  it('keeps the distinct final states of all replicas with energy and count, best first, up to numReads', async () => {
    // A 10-cycle of random ±1..3 weights: short anneals of 64 replicas end in many local minima.
    const input = {
      n: 10,
      terms: Array.from({ length: 10 }, (_, i) => [i, (i + 1) % 10, ((i * 7) % 5) - 2] as [number, number, number]).concat([
        [0, 0, -1],
        [5, 5, 2],
      ]),
    };
    const problem = validateAndBuild(input);
    const sub = await post(p.api, '/v1/jobs', {
      kind: 'qubo.solve',
      payload: { problem: input, params: { mode: 'sa', sweeps: 3, replicas: 64, restarts: false, seed: 11, numReads: 40 } },
    });
    expect(sub.status, JSON.stringify(sub.body)).toBe(201);
    const job = await waitForJob(p.api, sub.body.id);
    expect(job.state, JSON.stringify(job.error)).toBe('completed');
    const set = await samples(sub.body.id, 7);
    expect(set.length).toBeGreaterThan(2);
    expect(set.length).toBeLessThanOrEqual(40);
    expect(job.result.samples).toBe(set.length);
    expect(set.map((s) => s.rank)).toEqual(set.map((_, k) => k));
    expect(set[0]).toMatchObject({ energy: job.result.energy });
    expect(new Set(set.map((s) => s.assignment)).size).toBe(set.length);
    for (let k = 0; k < set.length; k++) {
      const s = set[k] as Sample;
      expect(s.energy).toBeCloseTo(energy(problem, bits(s.assignment)), 9);
      expect(s.numOccurrences).toBeGreaterThanOrEqual(1);
      if (k > 1) expect(s.energy).toBeGreaterThanOrEqual((set[k - 1] as Sample).energy);
    }
    // 64 replicas ended somewhere: the counts add up to 64 (65 when the best state was no replica's final one).
    const total = set.reduce((a, s) => a + s.numOccurrences, 0);
    expect(total === 64 || total === 65 || set.length === 40).toBe(true);
    const sol = await get(p.api, `/v1/qubo/solutions/${sub.body.id}`);
    expect(sol.body).toMatchObject({ numSamples: set.length, assignment: set[0]?.assignment });
    expect(sol.body.spins).toBeUndefined();
    // The client and the CLI read the same set.
    const url = await p.api.listen({ port: 0, host: '127.0.0.1' });
    const cli = await kiln(url, p.adminKey, ['qubo', 'samples', sub.body.id, '--json']);
    expect(cli.code, cli.err).toBe(0);
    expect(JSON.parse(cli.out)).toEqual(set);
    const human = await kiln(url, p.adminKey, ['qubo', 'samples', sub.body.id, '--limit', '2']);
    expect(human.out.trim().split('\n')).toHaveLength(3);
  });

  it('keeps the best state alone by default, and refuses numReads above 1000', async () => {
    const sub = await post(p.api, '/v1/jobs', {
      kind: 'qubo.solve',
      payload: {
        problem: {
          n: 3,
          terms: [
            [0, 1, 2],
            [1, 2, -1],
            [0, 0, -1],
          ],
        },
        params: { timeLimitMs: 50 },
      },
    });
    const job = await waitForJob(p.api, sub.body.id);
    expect(job.result.samples).toBe(1);
    const set = await samples(sub.body.id, 10);
    const sol = await get(p.api, `/v1/qubo/solutions/${sub.body.id}`);
    expect(set).toEqual([{ rank: 0, assignment: sol.body.assignment, energy: sol.body.energy, numOccurrences: 1 }]);
    expect(sol.body.numSamples).toBe(1);
    const big = await post(p.api, '/v1/jobs', { kind: 'qubo.solve', payload: { problem: { n: 2, terms: [[0, 1, 1]] }, params: { numReads: 1001 } } });
    expect(big.status).toBe(400);
    expect(big.body.error.message).toMatch(/numReads/);
    expect((await get(p.api, '/v1/qubo/solutions/nope/samples')).status).toBe(404);
  });

  it('solves Ising problems inline and uploaded: energies in Ising terms, spins reported, the brute-force optimum', async () => {
    // A frustrated triangle and a chain with fields; h as an object, one coupling given twice (they add).
    const ising = {
      h: { 0: 0.5, 4: -1, 6: 0.25 } as Record<string, number>,
      J: [
        [0, 1, 1],
        [1, 2, 1],
        [2, 0, 1],
        [3, 4, -1.5],
        [4, 5, 2],
        [5, 6, -0.5],
        [6, 3, 1],
        [1, 0, 0.5],
      ] as Array<[number, number, number]>,
      offset: 2,
    };
    const asArrays = { h: Array.from({ length: 7 }, (_, i) => ising.h[String(i)] ?? 0), J: ising.J, offset: ising.offset };
    const optimum = isingMinimum(asArrays, 7);
    // The QUBO the API stores has the Ising energy at every state.
    const q = isingToQubo(ising);
    for (let mask = 0; mask < 128; mask++) {
      const x = Uint8Array.from({ length: 7 }, (_, i) => (mask >> i) & 1);
      expect(energy(q, x)).toBeCloseTo(
        isingEnergy(
          asArrays,
          Array.from(x, (b) => 2 * b - 1),
        ),
        12,
      );
    }

    const inline = await post(p.api, '/v1/jobs', {
      kind: 'qubo.solve',
      payload: { problem: ising, params: { mode: 'sa', replicas: 32, sweeps: 50, restarts: false, seed: 2, numReads: 10 } },
    });
    expect(inline.status, JSON.stringify(inline.body)).toBe(201);
    const job = await waitForJob(p.api, inline.body.id);
    expect(job.state, JSON.stringify(job.error)).toBe('completed');
    expect(job.result.energy).toBeCloseTo(optimum, 9);
    const sol = await get(p.api, `/v1/qubo/solutions/${inline.body.id}`);
    expect(sol.body.spins).toEqual(Array.from(sol.body.assignment as string, (c) => (c === '1' ? 1 : -1)));
    expect(isingEnergy(asArrays, sol.body.spins)).toBeCloseTo(sol.body.energy, 9);
    for (const s of await samples(inline.body.id, 100)) expect(isingEnergy(asArrays, s.spins as number[])).toBeCloseTo(s.energy, 9);

    const up = await p.api.inject({
      method: 'POST',
      url: '/v1/qubo/problems?format=ising&name=frustrated',
      payload: JSON.stringify(asArrays),
      headers: { 'content-type': 'application/json' },
    });
    expect(up.statusCode, up.body).toBe(201);
    expect(up.json()).toMatchObject({ format: 'ising', n: 7, offset: expect.any(Number) });
    const byId = await post(p.api, '/v1/jobs', { kind: 'qubo.solve', payload: { problemId: up.json().id, params: { timeLimitMs: 200, target: optimum } } });
    const solved = await waitForJob(p.api, byId.body.id);
    expect(solved.result.energy).toBeCloseTo(optimum, 9);
    expect((await get(p.api, `/v1/qubo/solutions/${byId.body.id}/samples`)).body.items[0].spins).toHaveLength(7);

    const bad = await p.api.inject({ method: 'POST', url: '/v1/qubo/problems?format=ising&name=bad', payload: '{"h":[1],"J":[[0,-1,1]]}' });
    expect(bad.statusCode).toBe(400);
    const badInline = await post(p.api, '/v1/jobs', { kind: 'qubo.solve', payload: { problem: { h: [1], J: [[0, 1.5, 1]] } } });
    expect(badInline.status).toBe(400);
  });
});
