import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { verifyWebhookSignature } from '@kiln/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startQuboWorker } from '../../services/worker-qubo/src/worker.js';
import { startSsmWorker } from '../../services/worker-ssm/src/worker.js';
import { type Platform, quietLog, redisUrl, startPlatform, testAdminKey } from '../helpers.js';

// The `kiln` command as a user runs it: the real bin (node packages/cli/bin/kiln.mjs) in a child
// process against a listening API with real workers, on a pseudo-terminal (util-linux `script`)
// where the user would see progress bars, and on pipes where a script would read plain output.
const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = join(root, 'packages/cli/bin/kiln.mjs');
const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(args: string[], opts: { tty?: boolean; env?: Record<string, string> } = {}): Promise<Run> {
  const env = { ...process.env, KILN_API_URL: apiUrl, KILN_API_KEY: testAdminKey, COLUMNS: '120', ...opts.env };
  const child = opts.tty
    ? // `script` gives the command a terminal and copies what it shows to our stdout; -e passes its exit code on.
      spawn('script', ['-qfec', [process.execPath, bin, ...args].map(shellQuote).join(' '), '/dev/null'], { env, cwd: root })
    : spawn(process.execPath, [bin, ...args], { env, cwd: root });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** Users walking a cycle of items (learnable), as a SASRec file. */
function cycles(users: number, items: number, length: number): string {
  const lines: string[] = [];
  for (let u = 1; u <= users; u++) for (let t = 0; t < length; t++) lines.push(`${u} ${((u * 7 + t) % items) + 1}`);
  return `${lines.join('\n')}\n`;
}

let apiUrl = '';

describe('the kiln CLI', () => {
  let p: Platform;
  let workers: Array<{ close(): Promise<void> }> = [];
  let dir: string;
  beforeAll(async () => {
    p = await startPlatform();
    apiUrl = await p.api.listen({ port: 0, host: '127.0.0.1' });
    const common = { redisUrl, databaseUrl: p.db.url, prefix: p.prefix, log: quietLog };
    workers = [await startSsmWorker({ ...common, trainConcurrency: 1, scoreConcurrency: 1 }), await startQuboWorker({ ...common, concurrency: 1, threads: 2 })];
    dir = mkdtempSync(join(tmpdir(), 'kiln-cli-'));
  });
  afterAll(async () => {
    for (const w of workers) await w.close();
    await p?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('explains itself: --help per command, exit 2 and the usage for a wrong command line', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    for (const c of ['datasets upload FILE', 'train', 'score', 'recs export JOB', 'qubo solve FILE', 'jobs watch ID']) expect(help.stdout).toContain(c);
    expect(help.stdout).toContain('Exit codes:');
    const train = await run(['train', '--help']);
    expect(train.code).toBe(0);
    expect(train.stdout).toMatch(/--dataset ID[\s\S]*--set KEY=VALUE[\s\S]*--watch/);
    const unknown = await run(['fly']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "fly"');
    const badFlag = await run(['jobs', 'ls', '--colour']);
    expect(badFlag.code).toBe(2);
    expect(badFlag.stderr).toContain("Unknown option '--colour'");
    const missing = await run(['qubo', 'solve']);
    expect(missing.code).toBe(2);
  });

  let datasetId = '';
  let trainJob = '';
  it('uploads a dataset, then trains with a live bar per epoch on a terminal', async () => {
    const file = join(dir, 'cycles.txt');
    writeFileSync(file, cycles(400, 40, 30));
    const up = await run(['datasets', 'upload', file, '--format', 'sasrec', '--name', 'cycles', '--json']);
    expect(up.code).toBe(0);
    const ds = JSON.parse(up.stdout);
    expect(ds).toMatchObject({ name: 'cycles', users: 400, items: 40, interactions: 400 * 30 });
    datasetId = ds.id;

    const tty = await run(
      ['train', '--dataset', datasetId, '--set', 'maxEpochs=5', '--set', 'model.hiddenSize=16', '--set', 'maxLen=16', '--set', 'batchSize=8', '--watch'],
      { tty: true },
    );
    expect(tty.code, tty.stdout).toBe(0);
    // The live bar: rewritten in place (carriage return, clear line), then each finished epoch as a line.
    expect(tty.stdout).toContain('\r\x1b[2Kepoch ');
    expect(tty.stdout).toMatch(/epoch \d\/5 \[[█░]+\] \d+\/[\d?]+ batches/);
    for (const e of [1, 2, 3, 4, 5]) expect(tty.stdout).toMatch(new RegExp(`epoch ${e}/5  loss \\d+\\.\\d{4}  valid NDCG@10 \\d\\.\\d{4}`));
    const model = /model ([0-9a-f-]{36}) \(v1\): best epoch \d of 5; test NDCG@10 (\d\.\d+)/.exec(tty.stdout);
    expect(model, tty.stdout).not.toBeNull();
    trainJob = /queued ssm\.train ([0-9a-f-]{36})/.exec(tty.stdout)?.[1] ?? '';
    const job = await p.api.inject({ method: 'GET', url: `/v1/jobs/${trainJob}` });
    expect(job.json()).toMatchObject({ state: 'completed', payload: { training: { maxEpochs: 5, batchSize: 8 }, model: { hiddenSize: 16, maxLen: 16 } } });
  });

  it('scores every user with plain output on a pipe, and exports the recommendations as CSV', async () => {
    const models = JSON.parse((await run(['models', 'ls', '--json'])).stdout) as Array<{ id: string; datasetId: string }>;
    const model = models.find((m) => m.datasetId === datasetId);
    expect(model).toBeDefined();
    const score = await run(['score', '--model', model?.id as string, '-k', '5', '--watch']);
    expect(score.code, score.stderr).toBe(0);
    expect(score.stderr).not.toContain('\r'); // no bars without a terminal
    expect(score.stderr).toMatch(/ssm\.score [0-9a-f-]{36}: completed/);
    const jobId = /scored 400 users, top 5,.* kiln recs export ([0-9a-f-]{36})/.exec(score.stdout)?.[1];
    expect(jobId, score.stdout).toBeDefined();

    const out = join(dir, 'recs.csv');
    const exp = await run(['recs', 'export', jobId as string, '--out', out]);
    expect(exp.code, exp.stderr).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('user,rank,item,score');
    expect(lines).toHaveLength(1 + 400 * 5);
    expect(lines[1]).toMatch(/^1,1,\d+,-?\d/);
  });

  it('solves a Max-Cut file end to end and prints its cut as JSON; a bqp file gives one result per problem', async () => {
    // K4 minus one edge, plus a pendant: the max cut is 4 (brute force below).
    const edges = [
      [1, 2],
      [1, 3],
      [2, 3],
      [2, 4],
      [3, 4],
      [4, 5],
    ];
    const gset = join(dir, 'small.gset');
    writeFileSync(gset, `5 ${edges.length}\n${edges.map(([u, v]) => `${u} ${v} 1`).join('\n')}\n`);
    let best = 0;
    for (let mask = 0; mask < 32; mask++)
      best = Math.max(best, edges.filter(([u, v]) => ((mask >> ((u as number) - 1)) & 1) !== ((mask >> ((v as number) - 1)) & 1)).length);
    const solved = await run(['qubo', 'solve', gset, '--format', 'gset', '--kind', 'maxcut', '--time', '1', `--target=${-best}`, '--json']);
    expect(solved.code, solved.stderr).toBe(0);
    expect(JSON.parse(solved.stdout)).toMatchObject({ name: 'small', kind: 'maxcut', n: 5, state: 'completed', value: best, energy: -best, feasible: true });

    const human = await run(['qubo', 'solve', gset, '--format', 'gset', '--time', '0.2']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(new RegExp(`^small: cut ${best} \\(energy -${best}\\), best after`));

    // Two OR-Library problems of n = 3 in one file: minimise x'Qx with Q's off-diagonals doubled by the parser.
    const bqp = join(dir, 'two.bqp');
    writeFileSync(bqp, '2\n3 2\n1 1 5\n1 2 -3\n3 2\n2 2 -1\n1 3 2\n');
    const two = await run(['qubo', 'solve', bqp, '--format', 'bqp', '--time', '0.2', '--json']);
    expect(two.code, two.stderr).toBe(0);
    const { results } = JSON.parse(two.stdout) as { results: Array<{ name: string; state: string }> };
    expect(results.map((r) => [r.name, r.state])).toEqual([
      ['two-1', 'completed'],
      ['two-2', 'completed'],
    ]);
  });

  it('exit codes scripts can rely on: 3 for a refused request, 4 for an unreachable API, 0 for jobs ls/get', async () => {
    const bad = await run(['train', '--dataset', datasetId, '--set', 'lr=5']);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain('payload.training.lr');
    const unknown = await run(['jobs', 'get', '00000000-0000-4000-8000-000000000000', '--json']);
    expect(unknown.code).toBe(3);
    expect(JSON.parse(unknown.stdout)).toMatchObject({ error: { status: 404, code: 'KILN_ERR_NOT_FOUND' } });
    const down = await run(['jobs', 'ls'], { env: { KILN_API_URL: 'http://127.0.0.1:9' } });
    expect(down.code).toBe(4);
    expect(down.stderr).toContain('cannot reach the Kiln API at http://127.0.0.1:9');
    const ls = await run(['jobs', 'ls', '--kind', 'ssm.train', '--json']);
    expect(ls.code).toBe(0);
    expect((JSON.parse(ls.stdout) as { items: Array<{ id: string }> }).items.map((j) => j.id)).toContain(trainJob);
    const get = await run(['jobs', 'get', trainJob]);
    expect(get.stdout).toContain(`${trainJob}  ssm.train  completed`);
  });

  it('submits a file of jobs in batches: keys make a second run queue nothing; a bad item refuses its batch', async () => {
    const file = join(dir, 'jobs.jsonl');
    const line = (k: number) =>
      JSON.stringify({ kind: 'qubo.solve', payload: { problem: { n: 2, terms: [[0, 1, -k]] }, params: { timeLimitMs: 200 } }, idempotencyKey: `cli-${k}` });
    writeFileSync(file, `${[1, 2, 3].map(line).join('\n')}\n`);
    const first = await run(['jobs', 'submit', file, '--batch-size', '2']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toBe('3 jobs: 3 queued, 0 already queued under their keys\n');
    const again = await run(['jobs', 'submit', file, '--json']);
    expect(JSON.parse(again.stdout).items.map((i: { replayed: boolean }) => i.replayed)).toEqual([true, true, true]);
    writeFileSync(file, `${line(4)}\n${JSON.stringify({ kind: 'qubo.solve', payload: { problemId: 'nope' } })}\n`);
    const bad = await run(['jobs', 'submit', file]);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain('jobs.1.payload.problemId');
  });

  it('cancels a waiting job', async () => {
    const paused = await run(['queues', 'pause', 'ssm-train']);
    expect(paused.stdout).toContain('ssm-train: paused');
    try {
      const queued = JSON.parse((await run(['train', '--dataset', datasetId, '--json'])).stdout) as { id: string };
      const cancel = await run(['jobs', 'cancel', queued.id]);
      expect(cancel.code).toBe(0);
      expect(cancel.stdout).toBe(`${queued.id}: cancelled\n`);
      const watch = await run(['jobs', 'watch', queued.id]);
      expect(watch.code).toBe(1);
      expect(watch.stderr).toContain('KILN_ERR_JOB_CANCELLED');
    } finally {
      await run(['queues', 'resume', 'ssm-train']);
    }
  });

  it("sends --callback-url the job's final state, signed with the secret from `kiln webhooks callback-secret`", async () => {
    const received: Array<{ signature: string; body: string }> = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => {
        body += d;
      });
      req.on('end', () => {
        received.push({ signature: String(req.headers['kiln-signature'] ?? ''), body });
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const secret = await run(['webhooks', 'callback-secret', '--json']);
      expect(secret.code, secret.stderr).toBe(0);
      const gset = join(dir, 'callback.gset');
      writeFileSync(gset, '3 2\n1 2 1\n2 3 1\n');
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/done`;
      const solved = await run(['qubo', 'solve', gset, '--format', 'gset', '--kind', 'maxcut', '--time', '0.2', '--callback-url', url, '--json']);
      expect(solved.code, solved.stderr).toBe(0);
      const { jobId } = JSON.parse(solved.stdout) as { jobId: string };
      while (received.length === 0) await new Promise((r) => setTimeout(r, 50));
      const [hit] = received;
      expect(verifyWebhookSignature(JSON.parse(secret.stdout).secret, hit!.signature, hit!.body)).toBe(true);
      expect(JSON.parse(hit!.body)).toMatchObject({ type: 'job.completed', data: { job: { id: jobId } } });
      const bad = await run(['qubo', 'solve', gset, '--format', 'gset', '--callback-url', 'ftp://example.com/x']);
      expect(bad.code).toBe(3);
      expect(bad.stderr).toMatch(/callbackUrl/);
    } finally {
      server.close();
    }
  });
});
