import { createSqlPool, type SqlPool } from '@kiln/db';
import { KilnQueues } from '@kiln/queue';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Platform, redisUrl, startPlatform } from '../helpers.js';
import { committedDoc, documentedErrorCodes, type OpenApiDoc, operationsOf } from './doc.js';
import { Draw } from './draw.js';
import { createFixtures, dropRedisKeys } from './fixtures.js';
import {
  checkAccepted,
  clip,
  describeRequest,
  diff,
  judge,
  matchedOperation,
  Observer,
  type OracleContext,
  type Response,
  type Snapshot,
  snapshot,
} from './oracle.js';
import { createGenerators, type FuzzRequest, type Generators } from './requests.js';

// Issue 11, point 7: generated junk at every operation of the OpenAPI document, through the real
// API (Postgres, Redis; no workers, so accepted jobs wait). For every answer: a 2xx or a 4xx that
// the document lists for the operation, in the `{ error: { code, message } }` shape with a code of
// docs/errors.md; no 5xx, no hang; and a refused request writes nothing (rows, queued jobs).
//
//   npm test                      1,500 requests, fixed seed
//   npm run test:fuzz             10,000 requests, random seed (printed)
//   KILN_FUZZ_RUNS=n KILN_FUZZ_SEED=s npx vitest run tests/fuzz/api.test.ts   replay a run
//   KILN_FUZZ_PATH=p              with the failure's seed: replay only its counterexample (fast-check's `path`)
//   KILN_FUZZ_COLLECT=1           do not stop at the first failure: list every distinct one at the end
//   KILN_FUZZ_UNCONSTRAINED=1     lift the constraints of known-bugs.ts

const RUNS = Number(process.env.KILN_FUZZ_RUNS ?? 1500);
const SEED = process.env.KILN_FUZZ_SEED === 'random' ? (Date.now() ^ (Math.random() * 0x7fffffff)) >>> 0 : Number(process.env.KILN_FUZZ_SEED ?? 20261205);
const REQUEST_TIMEOUT_MS = Number(process.env.KILN_FUZZ_REQUEST_TIMEOUT_MS ?? 15_000);
const COLLECT = process.env.KILN_FUZZ_COLLECT === '1';

class Hang extends Error {}

async function text(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Hang(`no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Per operation aimed at: requests and answers by status; and the operations whose route answered past authentication. */
class Stats {
  readonly byOp = new Map<string, { requests: number; statuses: Map<number, number> }>();
  readonly pastAuth = new Set<string>();
  record(op: string, status: number, answeredPastAuth: string | undefined) {
    const s = this.byOp.get(op) ?? { requests: 0, statuses: new Map() };
    s.requests++;
    s.statuses.set(status, (s.statuses.get(status) ?? 0) + 1);
    this.byOp.set(op, s);
    if (answeredPastAuth) this.pastAuth.add(answeredPastAuth);
  }
  table(): string {
    return [...this.byOp]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(
        ([op, s]) =>
          `  ${op.padEnd(22)} ${String(s.requests).padStart(5)}  ${[...s.statuses]
            .sort(([a], [b]) => a - b)
            .map(([st, n]) => `${st}×${n}`)
            .join(' ')}`,
      )
      .join('\n');
  }
}

describe('the API under generated junk (fast-check)', () => {
  let p: Platform;
  let sql: SqlPool;
  let queues: KilnQueues;
  let observer: Observer;
  let gens: Generators;
  let ctx: OracleContext;

  beforeAll(async () => {
    // No pipeline advancer or schedule consumer: a schedule the junk created would submit jobs in
    // the background, and "a refused request writes nothing" compares the store around each request.
    p = await startPlatform({ api: { flows: false } });
    const fx = await createFixtures(p);
    const doc = (await p.api.inject({ method: 'GET', url: '/docs/json' })).json() as OpenApiDoc;
    const ops = operationsOf(doc);
    gens = createGenerators(doc, ops, fx);
    ctx = { ops, committed: committedDoc(), errorCodes: documentedErrorCodes() };
    sql = createSqlPool({ url: p.db.url, max: 2 });
    queues = new KilnQueues({ redisUrl, prefix: p.prefix });
    observer = new Observer(p.api, p.openapi);
  });

  afterAll(async () => {
    observer?.restore();
    if (queues && p) await dropRedisKeys(queues.redis, p.prefix);
    await queues?.close();
    await sql?.end();
    await p?.close();
  });

  /** Checks that only the known bugs would have caught (see known-bugs.ts). */
  function semantic(req: FuzzRequest, res: Response): string[] {
    const out: string[] = [];
    if (req.junkCursor && res.status === 200) out.push('a cursor that names no job was accepted (expected 400)');
    return out;
  }

  it(
    `answers ${RUNS} generated requests with 2xx or a documented 4xx, never 5xx, never hangs; refused requests write nothing`,
    async () => {
      console.log(`API fuzz: ${RUNS} requests, seed ${SEED} (replay: KILN_FUZZ_SEED=${SEED} KILN_FUZZ_RUNS=${RUNS} npx vitest run tests/fuzz/api.test.ts)`);
      const started = Date.now();
      const stats = new Stats();
      const failures = new Map<string, { count: number; example: string }>();
      let before: Snapshot = await snapshot(sql, queues);

      const property = fc.asyncProperty(fc.limitShrink(fc.gen(), 60), async (g) => {
        const req = gens.request(new Draw(g));
        observer.reset();
        const violations = p.openapi.violations.length;
        let res: Response;
        try {
          // An event stream does not end by itself: its answer is taken as the headers arrive, the
          // stream then dropped (the API ends it when it closes); every other answer is read whole.
          const r = await withTimeout(
            p.api.inject({
              method: req.method as 'GET',
              url: req.url,
              headers: { ...req.headers, authorization: req.auth.header },
              ...(req.body ? { payload: req.body } : {}),
              payloadAsStream: true,
            }),
            REQUEST_TIMEOUT_MS,
          );
          const stream = r.stream();
          let body = '';
          if (String(r.headers['content-type'] ?? '').startsWith('text/event-stream')) stream.destroy();
          else body = await withTimeout(text(stream), REQUEST_TIMEOUT_MS);
          res = { status: r.statusCode, headers: r.headers, body };
        } catch (error) {
          // A hang, or a connection the server dropped: either way no answer.
          const message = `${error instanceof Hang ? 'hang' : 'no answer'}: ${(error as Error).message}\n${describeRequest(req)}`;
          if (!COLLECT) throw new Error(message);
          const signature = `${req.op} ${error instanceof Hang ? 'hang' : 'no answer'}`;
          failures.set(signature, { count: (failures.get(signature)?.count ?? 0) + 1, example: message });
          return;
        }
        const after = await snapshot(sql, queues);
        const writes = diff(before, after);
        const accepted = res.status >= 200 && res.status < 300 && writes.length > 0 ? await checkAccepted(sql, before, after) : [];
        before = after;
        const seen = observer.current;
        const problems = judge(ctx, req, res, seen, writes, [...semantic(req, res), ...accepted]);
        for (const v of p.openapi.violations.slice(violations))
          problems.push(`answer does not match the OpenAPI document: ${v.method} ${v.path} ${v.status}: ${v.problem}`);
        p.openapi.violations.length = violations;
        stats.record(req.op, res.status, res.status !== 401 && res.status !== 403 ? matchedOperation(ctx, seen.route)?.id : undefined);
        if (problems.length === 0) return;
        const message = `${problems.join('\n')}\n${describeRequest(req)}\n  answer: ${res.status} ${clip(res.body, 400)}`;
        if (!COLLECT) throw new Error(message);
        const signature = `${req.op} ${res.status} ${problems
          .map((p) => p.split('\n').slice(0, 2).join(' '))
          .join(' | ')
          .replace(/[0-9a-f-]{36}|\d+/g, '#')
          .slice(0, 160)}`;
        const f = failures.get(signature);
        failures.set(signature, { count: (f?.count ?? 0) + 1, example: f?.example ?? message });
      });
      try {
        await fc.assert(property, { numRuns: RUNS, seed: SEED, ...(process.env.KILN_FUZZ_PATH ? { path: process.env.KILN_FUZZ_PATH } : {}) });
      } finally {
        console.log(`API fuzz: ${RUNS} runs in ${((Date.now() - started) / 1000).toFixed(1)} s (seed ${SEED})\n${stats.table()}`);
      }
      if (failures.size > 0) {
        const list = [...failures].map(([sig, f]) => `■ ${sig} (×${f.count})\n${f.example}`).join('\n\n');
        throw new Error(`${failures.size} distinct failures:\n\n${list}`);
      }
      // Coverage: every documented operation was reached past authentication, and each generator is still needed.
      const unreached = gens.ops.filter((op) => !stats.pastAuth.has(op.id)).map((op) => `${op.id} (${op.method} ${op.path})`);
      expect(unreached, 'operations never answered by their route past authentication').toEqual([]);
      for (const id of gens.specificOperations)
        expect(
          gens.ops.map((o) => o.id),
          `the generator for ${id} names no operation`,
        ).toContain(id);
    },
    Math.max(120_000, RUNS * 200),
  );
});
