import { once } from 'node:events';
import { createServer, type Server, type Socket, connect } from 'node:net';
import { createSqlPool, type SqlPool } from '@kiln/db';
import { KilnQueues } from '@kiln/queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startQuboWorker } from '../../services/worker-qubo/src/worker.js';
import { get, type Platform, post, quietLog, redisUrl, startPlatform, waitForJob } from '../helpers.js';

/**
 * A TCP relay in front of the real Postgres that the test can cut: `cut()` drops every open
 * connection and refuses new ones (what a worker sees when Postgres restarts), `restore()` lets
 * them through again.
 */
class CuttableRelay {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(
    private readonly host: string,
    private readonly targetPort: number,
  ) {}

  async open(port = 0): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.targetPort, this.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    server.listen(port, '127.0.0.1');
    await once(server, 'listening');
    this.server = server;
    this.port = (server.address() as { port: number }).port;
  }

  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise((r) => server.close(r));
  }

  restore(): Promise<void> {
    return this.open(this.port);
  }
}

// Postgres going away is nobody's fault: a worker's job waits for it and goes again without
// spending an attempt, and a job whose result was already written is never run a second time.
describe('when a store fails under a worker', () => {
  let p: Platform;
  let pool: SqlPool;
  let relay: CuttableRelay;
  let worker: { close(): Promise<void> } | undefined;
  let queues: KilnQueues;
  beforeAll(async () => {
    p = await startPlatform();
    pool = createSqlPool({ url: p.db.url });
    queues = new KilnQueues({ redisUrl, prefix: p.prefix });
    const url = new URL(p.db.url);
    relay = new CuttableRelay(url.hostname, Number(url.port || 5432));
    await relay.open();
    const via = new URL(p.db.url);
    via.hostname = '127.0.0.1';
    via.port = String(relay.port);
    worker = await startQuboWorker({
      redisUrl,
      databaseUrl: via.toString(),
      prefix: p.prefix,
      concurrency: 4,
      threads: 1,
      unavailableDelayMs: 300,
      log: quietLog,
    });
  });
  afterAll(async () => {
    await worker?.close();
    await relay?.cut();
    await queues?.close();
    await pool?.end();
    await p?.close();
  });

  const solve = (k: number) => ({ kind: 'qubo.solve', payload: { problem: { n: 3, terms: [[0, 1, 1 + k]] }, params: { timeLimitMs: 200, target: 0 } } });

  it('hands jobs back while Postgres is unreachable and completes each on its first attempt once it returns', async () => {
    await relay.cut();
    const sub = await post(p.api, '/v1/jobs/batch', { jobs: [0, 1, 2].map(solve) });
    expect(sub.status).toBe(201);
    const ids: string[] = sub.body.items.map((i: { id: string }) => i.id);
    // Each job was taken, found Postgres gone, and went back to wait (BullMQ: delayed, no attempt made).
    for (const id of ids) {
      for (;;) {
        const job = await queues.queue('qubo.solve').getJob(id);
        if (job && job.attemptsStarted > 0 && (await job.getState()) === 'delayed') {
          expect(job.attemptsMade).toBe(0);
          break;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    await relay.restore();
    const done = await Promise.all(ids.map((id) => waitForJob(p.api, id)));
    expect(done.map((j) => [j.state, j.attempts])).toEqual([
      ['completed', 1],
      ['completed', 1],
      ['completed', 1],
    ]);
    const solutions = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM "QuboSolution" WHERE "jobId" = ANY($1::text[])', [ids]);
    expect(solutions.rows[0]?.n).toBe(3);
  });

  it('does not run again a job whose completion was written before its acknowledgement was lost', async () => {
    const sub = await post(p.api, '/v1/jobs', solve(7));
    const id: string = sub.body.id;
    const first = await waitForJob(p.api, id);
    expect(first.state).toBe('completed');
    const solution = await pool.query('SELECT * FROM "QuboSolution" WHERE "jobId" = $1', [id]);
    // Redis loses the acknowledgement (its AOF is cut back to before the completion): the job is
    // queued again under its id, as the reconciler or a replayed AOF would put it back.
    const queue = queues.queue('qubo.solve');
    await (await queue.getJob(id))?.remove();
    await queues.enqueue('qubo.solve', id, first.payload);
    for (;;) {
      const job = await queue.getJob(id);
      const state = await job?.getState();
      if (state === 'completed' || state === 'failed') {
        expect(state).toBe('completed');
        // BullMQ completes it with the result already stored; the row and its solution are untouched.
        expect(job?.returnvalue).toEqual(first.result);
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    const again = (await get(p.api, `/v1/jobs/${id}`)).body;
    expect(again).toEqual(first);
    expect((await pool.query('SELECT * FROM "QuboSolution" WHERE "jobId" = $1', [id])).rows).toEqual(solution.rows);
  });
});
