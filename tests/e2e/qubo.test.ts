import { bruteForce, validateAndBuild } from '@kiln/qubo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startQuboWorker } from '../../services/worker-qubo/src/worker.js';
import { get, type Platform, post, quietLog, redisUrl, startPlatform, waitForJob } from '../helpers.js';

function randomQubo(n: number, seed: number) {
  let s = seed;
  const rnd = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  const terms: Array<[number, number, number]> = [];
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) if (rnd() < 0.4) terms.push([i, j, Math.round((rnd() * 20 - 10) * 100) / 100]);
  return { n, terms, offset: 1.5 };
}

/** A seeded uniform in [0, 1). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('qubo.solve through the API and worker-qubo', () => {
  let p: Platform;
  let worker: { close(): Promise<void> };
  beforeAll(async () => {
    p = await startPlatform();
    worker = await startQuboWorker({ redisUrl, databaseUrl: p.db.url, prefix: p.prefix, concurrency: 2, threads: 2, log: quietLog });
  });
  afterAll(async () => {
    await worker?.close();
    await p?.close();
  });

  it('solves an inline QUBO to its brute-force optimum', async () => {
    const input = randomQubo(16, 7);
    const exact = bruteForce(validateAndBuild(input));
    const sub = await post(p.api, '/v1/jobs', {
      kind: 'qubo.solve',
      payload: { problem: input, params: { seed: 3, sweeps: 200, timeLimitMs: 2000, target: exact.energy } },
    });
    expect(sub.status).toBe(201);
    const job = await waitForJob(p.api, sub.body.id);
    expect(job.state).toBe('completed');
    expect(job.result.energy).toBeCloseTo(exact.energy, 9);
    expect(job.result.value).toBeCloseTo(exact.energy, 9);
    expect(job.result.timeToBestMs).toBeGreaterThanOrEqual(0);
    const sol = await get(p.api, `/v1/qubo/solutions/${sub.body.id}`);
    expect(sol.body.assignment).toHaveLength(16);
    expect(sol.body.trace.length).toBeGreaterThan(0);
  });

  it('solves an uploaded G-set Max-Cut and a MIS, values checked against the assignment', async () => {
    // An 8-cycle plus chords: max cut and independent sets checked by brute force over 2^8.
    const edges = [
      [1, 2],
      [2, 3],
      [3, 4],
      [4, 5],
      [5, 6],
      [6, 7],
      [7, 8],
      [8, 1],
      [1, 5],
      [2, 6],
    ];
    const gset = `8 ${edges.length}\r\n${edges.map(([a, b]) => `${a} ${b} 1 \r\n`).join('')}`;
    const cut = (x: string) => edges.filter(([a, b]) => x[a! - 1] !== x[b! - 1]).length;
    const independent = (x: string) => edges.every(([a, b]) => !(x[a! - 1] === '1' && x[b! - 1] === '1'));
    let bestCut = 0;
    let alpha = 0;
    for (let m = 0; m < 256; m++) {
      const x = Array.from({ length: 8 }, (_, k) => ((m >> k) & 1 ? '1' : '0')).join('');
      bestCut = Math.max(bestCut, cut(x));
      if (independent(x)) alpha = Math.max(alpha, x.split('1').length - 1);
    }
    for (const kind of ['maxcut', 'mis'] as const) {
      const up = await p.api.inject({
        method: 'POST',
        url: `/v1/qubo/problems?format=gset&name=cyc8&kind=${kind}`,
        payload: gset,
        headers: { 'content-type': 'text/plain' },
      });
      expect(up.statusCode).toBe(201);
      const problemId = up.json().id as string;
      const sub = await post(p.api, '/v1/jobs', { kind: 'qubo.solve', payload: { problemId, params: { seed: 1, sweeps: 300, timeLimitMs: 1500 } } });
      const job = await waitForJob(p.api, sub.body.id);
      expect(job.state).toBe('completed');
      const sol = (await get(p.api, `/v1/qubo/solutions/${sub.body.id}`)).body;
      if (kind === 'maxcut') {
        expect(job.result.value).toBe(bestCut);
        expect(cut(sol.assignment)).toBe(job.result.value);
        expect(job.result.energy).toBeCloseTo(-bestCut, 9);
      } else {
        expect(job.result.value).toBe(alpha);
        expect(job.result.feasible).toBe(true);
        expect(independent(sol.assignment)).toBe(true);
        expect(sol.assignment.split('1').length - 1).toBe(alpha);
      }
    }
  });

  it('solves an uploaded G-set graph with mode auto and a target: mode, value and time to best stored, progress seen', async () => {
    // A random graph on two hidden sides, every edge across: its max cut is every edge. CRLF and
    // trailing blanks, as in the G-set files.
    const rnd = mulberry32(11);
    const n = 80;
    const side = Array.from({ length: n }, () => (rnd() < 0.5 ? 0 : 1));
    const seen = new Set<string>();
    const edges: Array<[number, number]> = [];
    while (edges.length < 800) {
      const a = Math.floor(rnd() * n);
      const b = Math.floor(rnd() * n);
      if (side[a] === side[b] || seen.has(`${Math.min(a, b)},${Math.max(a, b)}`)) continue;
      seen.add(`${Math.min(a, b)},${Math.max(a, b)}`);
      edges.push([a + 1, b + 1]);
    }
    const text = `${n} ${edges.length} \r\n${edges.map(([a, b]) => `${a} ${b} 1 \r\n`).join('')}`;
    const up = await p.api.inject({
      method: 'POST',
      url: '/v1/qubo/problems?format=gset&name=bip80',
      payload: text,
      headers: { 'content-type': 'text/plain' },
    });
    expect(up.statusCode).toBe(201);
    const sub = await post(p.api, '/v1/jobs', {
      kind: 'qubo.solve',
      payload: { problemId: up.json().id, params: { mode: 'auto', seed: 2, timeLimitMs: 60_000, target: -edges.length } },
    });
    expect(sub.status).toBe(201);
    const job = await waitForJob(p.api, sub.body.id);
    expect(job.state).toBe('completed');
    expect(job.result).toMatchObject({ kind: 'maxcut', n, value: edges.length, energy: -edges.length, feasible: true });
    expect(['sa', 'loihi', 'tabu', 'multispin', 'memetic']).toContain(job.result.mode);
    // Progress: the best energy over time; the last report is the result.
    expect(job.progress).toMatchObject({ kind: 'qubo.solve', bestEnergy: -edges.length });
    const sol = (await get(p.api, `/v1/qubo/solutions/${sub.body.id}`)).body;
    expect(sol).toMatchObject({ mode: job.result.mode, value: edges.length, energy: -edges.length, feasible: true });
    expect(sol.timeToBestMs).toBeGreaterThanOrEqual(0);
    expect(sol.timeToBestMs).toBeLessThanOrEqual(sol.elapsedMs);
    const cut = edges.filter(([a, b]) => sol.assignment[a - 1] !== sol.assignment[b - 1]).length;
    expect(cut).toBe(edges.length);
    // What ran: auto's rule for a dense graph with one weight value (the class 'dense' of its measured table), or the JS engine.
    expect(sol.params).toMatchObject({ mode: 'auto', reachedTarget: true });
    expect(sol.params.plan.rule).toBe(sol.params.engine === 'native' ? 'dense' : 'js');
    expect(sol.params.plan.members.map((m: { mode: string }) => m.mode)).toContain(job.result.mode);
    expect(['native', 'js']).toContain(sol.params.engine);
    const listed = (await get(p.api, `/v1/qubo/solutions?problemId=${up.json().id}`)).body.items;
    expect(listed[0]).toMatchObject({ jobId: sub.body.id, mode: job.result.mode, value: edges.length });
  });

  it('streams the best energy while a job runs, per requested mode, and stops it on cancel', async () => {
    // Tabu on a 3000-variable random ±1 graph: no target, a long limit; progress is polled, then the job is cancelled.
    const rnd = mulberry32(5);
    const n = 3000;
    const lines: string[] = [];
    for (let k = 0; k < 12_000; k++) {
      const a = 1 + Math.floor(rnd() * n);
      const b = 1 + ((a + Math.floor(rnd() * (n - 1))) % n);
      lines.push(`${a} ${b} ${rnd() < 0.5 ? -1 : 1}`);
    }
    const up = await p.api.inject({
      method: 'POST',
      url: '/v1/qubo/problems?format=gset&name=big',
      payload: `${n} ${lines.length}\n${lines.join('\n')}\n`,
      headers: { 'content-type': 'text/plain' },
    });
    expect(up.statusCode).toBe(201);
    const sub = await post(p.api, '/v1/jobs', { kind: 'qubo.solve', payload: { problemId: up.json().id, params: { mode: 'tabu', timeLimitMs: 600_000 } } });
    const first = await waitForJob(p.api, sub.body.id, (j) => j.state === 'active' && Number.isFinite(j.progress?.bestEnergy));
    const later = await waitForJob(p.api, sub.body.id, (j) => j.progress?.elapsedMs > first.progress.elapsedMs);
    expect(later.progress.kind).toBe('qubo.solve');
    expect(later.progress.bestEnergy).toBeLessThanOrEqual(first.progress.bestEnergy);
    const res = await post(p.api, `/v1/jobs/${sub.body.id}/cancel`, {});
    expect(res.status).toBe(202);
    expect((await waitForJob(p.api, sub.body.id)).state).toBe('cancelled');
    expect((await get(p.api, `/v1/qubo/solutions/${sub.body.id}`)).status).toBe(404);
  });

  it('stores each problem of a bqp file under <name>-<k>', async () => {
    const bqp = '2\n3 3\n1 1 5\n1 2 -3\n2 3 4\n2 1\n1 2 7\n';
    const up = await p.api.inject({ method: 'POST', url: '/v1/qubo/problems?format=bqp&name=mini', payload: bqp, headers: { 'content-type': 'text/plain' } });
    expect(up.statusCode).toBe(201);
    expect(up.json().problems.map((x: { name: string }) => x.name)).toEqual(['mini-1', 'mini-2']);
  });

  it("runs mode 'multispin' on a ±1 Max-Cut, and refuses it with a 400 naming params.mode on graded couplings (nothing stored)", async () => {
    // A 5-cycle with ±1 weights as a Max-Cut QUBO: J_ij = 2w, h_i = −Σ_j w_ij.
    const cycle: Array<[number, number, number]> = [
      [0, 1, 1],
      [1, 2, -1],
      [2, 3, 1],
      [3, 4, 1],
      [4, 0, -1],
    ];
    const h = [0, 0, 0, 0, 0];
    for (const [a, b, w] of cycle) {
      h[a] = (h[a] as number) - w;
      h[b] = (h[b] as number) - w;
    }
    const terms: Array<[number, number, number]> = [
      ...cycle.map(([a, b, w]): [number, number, number] => [a, b, 2 * w]),
      ...h.map((v, i): [number, number, number] => [i, i, v]),
    ];
    const problem = { n: 5, terms };
    const exact = bruteForce(validateAndBuild(problem));
    const sub = await post(p.api, '/v1/jobs', {
      kind: 'qubo.solve',
      payload: { problem, params: { mode: 'multispin', seed: 1, timeLimitMs: 2000, target: exact.energy } },
    });
    expect(sub.status).toBe(201);
    const job = await waitForJob(p.api, sub.body.id);
    expect(job.state).toBe('completed');
    expect(job.result.energy).toBe(exact.energy);
    expect(job.result.mode).toBe('multispin');
    const before = (await get(p.api, '/v1/qubo/problems')).body.items.length;
    const graded = await post(p.api, '/v1/jobs', { kind: 'qubo.solve', payload: { problem: randomQubo(12, 5), params: { mode: 'multispin' } } });
    expect(graded.status).toBe(400);
    expect(graded.body.error.code).toBe('KILN_ERR_PAYLOAD_INVALID');
    expect(graded.body.error.message).toMatch(/payload\.params\.mode: 'multispin' needs couplings of one magnitude/);
    expect((await get(p.api, '/v1/qubo/problems')).body.items.length).toBe(before);
  });

  it('rejects bad QUBO input with a 400 naming the problem', async () => {
    const cases: Array<[unknown, string]> = [
      [{ n: 3, terms: [[0, 3, 1]] }, 'KILN_ERR_QUBO_INDEX'],
      [{ n: 3, terms: [[0, 1, 'x']] }, 'KILN_ERR_PAYLOAD_INVALID'],
      [{ n: 200_001, terms: [] }, 'KILN_ERR_QUBO_TOO_LARGE'],
    ];
    for (const [problem, code] of cases) {
      const res = await post(p.api, '/v1/jobs', { kind: 'qubo.solve', payload: { problem } });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe(code);
    }
    const nan = await p.api.inject({
      method: 'POST',
      url: '/v1/qubo/problems?format=gset&name=bad',
      payload: '2 1\n1 2 nan\n',
      headers: { 'content-type': 'text/plain' },
    });
    expect(nan.statusCode).toBe(400);
    expect(nan.json().error.details.line).toBe(2);
    const uploads: Array<[string, string, number | undefined]> = [
      ['json', '{"n": 2, "terms": [[0, 1, 1]', undefined],
      ['gset', '3 2\n1 2 1\n2 x 1\n', 3],
      ['bqp', '1\n3 2\n1 2 4\n', 4],
      ['sparse', '3 1\n1 4 2\n', 2],
    ];
    for (const [format, body, line] of uploads) {
      const res = await p.api.inject({
        method: 'POST',
        url: `/v1/qubo/problems?format=${format}&name=bad`,
        payload: body,
        headers: { 'content-type': 'text/plain' },
      });
      expect(res.statusCode, format).toBe(400);
      expect(res.json().error.code, format).toMatch(/^KILN_ERR_QUBO_/);
      if (line !== undefined) expect(res.json().error.details.line, format).toBe(line);
    }
    expect((await get(p.api, '/v1/qubo/problems')).body.items.filter((x: { name: string }) => x.name.startsWith('bad'))).toEqual([]);
    const huge = await p.api.inject({
      method: 'POST',
      url: '/v1/jobs',
      payload: JSON.stringify({ kind: 'qubo.solve', payload: { problem: { n: 2, terms: Array.from({ length: 200_000 }, () => [0, 1, 1]) } } }),
      headers: { 'content-type': 'application/json' },
    });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error.code).toBe('KILN_ERR_BODY_TOO_LARGE');
    const both = await post(p.api, '/v1/jobs', {
      kind: 'qubo.solve',
      payload: { problemId: '7d0f5d8e-6c1e-4a59-9a3f-8d2c1b0a9e7f', problem: { n: 1, terms: [] } },
    });
    expect(both.status).toBe(400);
    const badMode = await post(p.api, '/v1/jobs', { kind: 'qubo.solve', payload: { problem: { n: 2, terms: [[0, 1, 1]] }, params: { mode: 'fast' } } });
    expect(badMode.status).toBe(400);
    expect(badMode.body.error).toMatchObject({ code: 'KILN_ERR_PAYLOAD_INVALID', details: { issues: [{ field: 'payload.params.mode' }] } });
    const unknown = await post(p.api, '/v1/jobs', { kind: 'qubo.solve', payload: { problemId: '7d0f5d8e-6c1e-4a59-9a3f-8d2c1b0a9e7f' } });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('KILN_ERR_PROBLEM_UNKNOWN');
  });
});
