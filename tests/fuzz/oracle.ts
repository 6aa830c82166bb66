import { type JobKind, jobCatalog } from '@kiln/contracts';
import type { SqlPool } from '@kiln/db';
import { MAX_ABS_COEFFICIENT, MAX_ABS_OFFSET } from '@kiln/qubo';
import type { KilnQueues } from '@kiln/queue';
import type { FastifyInstance } from 'fastify';
import type { OpenApiChecker } from '../openapi-check.js';
import { type OpenApiDoc, type Operation, routeOf } from './doc.js';
import type { FuzzRequest } from './requests.js';

/** What the fuzzer watches for writes: rows (and the last job update) in Postgres, jobs per queue in Redis. */
export type Snapshot = Record<string, string | number | boolean>;

export async function snapshot(sql: SqlPool, queues: KilnQueues): Promise<Snapshot> {
  const [{ rows }, info] = await Promise.all([
    sql.query<Record<string, string | number>>(
      `SELECT (SELECT count(*) FROM "Job")::int AS "Job",
              (SELECT coalesce(max("updatedAt")::text, '-') FROM "Job") AS "Job.updatedAt",
              (SELECT count(*) FROM "Dataset")::int AS "Dataset",
              (SELECT count(*) FROM "QuboProblem")::int AS "QuboProblem",
              (SELECT count(*) FROM "ApiKey")::int AS "ApiKey",
              (SELECT count(*) FROM "ApiKey" WHERE "revokedAt" IS NOT NULL)::int AS "ApiKey.revoked"`,
    ),
    queues.info(),
  ]);
  const snap: Snapshot = { ...rows[0] };
  for (const q of info) {
    const { waiting, active, delayed, prioritized, completed, failed } = q.counts;
    snap[`queue ${q.name}`] = waiting + active + delayed + prioritized + completed + failed;
    snap[`queue ${q.name} paused`] = q.paused;
  }
  return snap;
}

export function diff(before: Snapshot, after: Snapshot): string[] {
  return Object.keys(after)
    .filter((k) => before[k] !== after[k])
    .map((k) => `${k}: ${before[k]} → ${after[k]}`);
}

/**
 * What an accepted request wrote must be runnable: every new job's payload parses as its kind's
 * payload (what the worker parses again, where a failure is fatal), and every new QUBO has indices
 * in 0..n-1 and coefficients within the range the annealers take. Anything else is bad input that
 * the API let through, to fail later in a worker.
 */
export async function checkAccepted(sql: SqlPool, before: Snapshot, after: Snapshot): Promise<string[]> {
  const out: string[] = [];
  const newJobs = Number(after.Job) - Number(before.Job);
  if (newJobs > 0) {
    const { rows } = await sql.query<{ id: string; kind: string; payload: unknown }>(
      `SELECT "id", "kind", "payload" FROM "Job" ORDER BY "createdAt" DESC, "id" LIMIT $1`,
      [newJobs],
    );
    for (const r of rows) {
      const def = Object.hasOwn(jobCatalog, r.kind) ? jobCatalog[r.kind as JobKind] : undefined;
      const parsed = def?.payload.safeParse(r.payload);
      if (!parsed?.success)
        out.push(`accepted job ${r.id} (${r.kind}) has a payload its worker refuses: ${clip(parsed?.error.message ?? 'unknown kind', 300)}`);
    }
  }
  const newProblems = Number(after.QuboProblem) - Number(before.QuboProblem);
  if (newProblems > 0) {
    const { rows } = await sql.query<{ id: string; n: number; offset: number; terms: Buffer }>(
      `SELECT "id", "n", "offset", "terms" FROM "QuboProblem" ORDER BY "createdAt" DESC, "id" LIMIT $1`,
      [Math.min(newProblems, 50)],
    );
    for (const r of rows) {
      if (!(Math.abs(r.offset) <= MAX_ABS_OFFSET)) out.push(`accepted QUBO ${r.id} has offset ${r.offset} (limit ${MAX_ABS_OFFSET})`);
      for (let at = 0; at + 16 <= r.terms.length; at += 16) {
        const [i, j, w] = [r.terms.readInt32LE(at), r.terms.readInt32LE(at + 4), r.terms.readDoubleLE(at + 8)];
        if (i < 0 || i >= r.n || j < 0 || j >= r.n || !(Math.abs(w) <= MAX_ABS_COEFFICIENT)) {
          out.push(`accepted QUBO ${r.id} (n = ${r.n}) has term ${at / 16} = (${i}, ${j}, ${w}) (coefficient limit ${MAX_ABS_COEFFICIENT})`);
          break;
        }
      }
    }
  }
  return out;
}

/** Server-side view of one request: the route Fastify matched, the errors it logged. */
export interface Observed {
  route?: { method: string; route: string };
  errors: unknown[];
}

/**
 * Hooks into the app under test (already ready, so no new hooks): the OpenAPI checker's `check`
 * tells which documented route answered, and the logger's `error` (Fastify's null logger when
 * logs are off: one object for the app and its requests) hands over the cause of a 5xx.
 */
export class Observer {
  current: Observed = { errors: [] };
  private readonly restoreAll: () => void;

  constructor(api: FastifyInstance, checker: OpenApiChecker) {
    const check = checker.check;
    checker.check = (method, route, status, contentType, body) => {
      this.current.route = { method, route };
      check.call(checker, method, route, status, contentType, body);
    };
    const log = api.log as unknown as { error: (...args: unknown[]) => void };
    const error = log.error;
    log.error = (...args: unknown[]) => {
      this.current.errors.push(args[0]);
    };
    this.restoreAll = () => {
      checker.check = check;
      log.error = error;
    };
  }

  reset(): void {
    this.current = { errors: [] };
  }

  restore(): void {
    this.restoreAll();
  }
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}… (${s.length} chars)` : s);

export function describeRequest(req: FuzzRequest): string {
  const headers = Object.entries(req.headers).map(([k, v]) => `${k}: ${clip(JSON.stringify(v), 120)}`);
  const body = req.body === undefined ? 'no body' : `body (${req.body.length} bytes): ${clip(JSON.stringify(req.body.toString('utf8')), 600)}`;
  return [
    `${req.method} ${clip(req.url, 400)}`,
    `  aimed at ${req.op} (${req.strategy}); auth: ${req.auth.variant}${headers.length ? `; ${headers.join('; ')}` : ''}`,
    `  ${body}`,
    ...(req.notes.length ? [`  generator: ${req.notes.join(', ')}`] : []),
  ].join('\n');
}

function describeError(e: unknown): string {
  const err = (e as { err?: unknown })?.err ?? e;
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return `${err.name}${code ? ` [${String(code)}]` : ''}: ${clip(err.message, 300)}\n${(err.stack ?? '').split('\n').slice(1, 7).join('\n')}`;
  }
  return clip(JSON.stringify(err), 300);
}

export interface Response {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
}

export interface OracleContext {
  ops: Operation[];
  /** The committed docs/openapi.json: a status must be documented there too. */
  committed: OpenApiDoc;
  errorCodes: Map<string, number>;
}

/** The operation of the route Fastify matched (HEAD answers as its GET). */
export function matchedOperation(ctx: OracleContext, route: Observed['route']): Operation | undefined {
  if (!route) return undefined;
  const method = route.method === 'HEAD' ? 'GET' : route.method;
  return ctx.ops.find((o) => o.method === method && routeOf(o.path) === route.route);
}

/** Statuses a request can get for its form alone, before its key is checked (a malformed URL, a body too large, a media type). */
const BEFORE_AUTH = new Set([400, 413, 414, 415, 431]);

/** Everything wrong with one answer (empty: fine). */
export function judge(ctx: OracleContext, req: FuzzRequest, res: Response, seen: Observed, writes: string[], semantic: string[]): string[] {
  const problems: string[] = [];
  const op = matchedOperation(ctx, seen.route);
  if (res.status >= 500) {
    problems.push(`${res.status}: server error${seen.errors.length ? `\n  cause: ${seen.errors.map(describeError).join('\n  cause: ')}` : ''}`);
  }
  if (op) {
    if (!op.statuses.has(res.status)) problems.push(`status ${res.status} is not documented for ${op.id} (documented: ${[...op.statuses].join(', ')})`);
    const committed = ctx.committed.paths[op.path]?.[op.method.toLowerCase()]?.responses;
    if (committed && !(String(res.status) in committed)) problems.push(`status ${res.status} is not documented for ${op.id} in docs/openapi.json`);
    // Without a valid key the answer is 401, or a refusal of the request's form that comes before
    // credentials are looked at: never data, a 404 that tells what exists, or a conflict.
    if (op.secured && req.auth.as === 'nobody' && !BEFORE_AUTH.has(res.status) && res.status !== 401)
      problems.push(`${op.id} answered ${res.status} to ${req.auth.variant} credentials (expected 401)`);
    if (op.secured && req.auth.as === 'read' && op.method !== 'GET' && !BEFORE_AUTH.has(res.status) && res.status !== 403)
      problems.push(`${op.id} answered ${res.status} to a read-only key (expected 403)`);
    if (req.auth.as === 'admin' && (res.status === 401 || res.status === 403))
      problems.push(`${op.id} refused the admin key (${req.auth.variant}) with ${res.status}`);
  } else if (res.status < 400 && req.op !== '(unrouted)' && !seen.route) {
    problems.push(`answered ${res.status} but no documented route matched`);
  }
  if (res.status >= 400 && req.method !== 'HEAD') {
    let body: any;
    try {
      body = JSON.parse(res.body);
    } catch {
      body = undefined;
    }
    const code = body?.error?.code;
    if (typeof code !== 'string' || typeof body?.error?.message !== 'string') {
      problems.push(`error body is not { error: { code, message } }: ${clip(res.body, 300)}`);
    } else if (!ctx.errorCodes.has(code)) {
      problems.push(`error code ${code} is not in docs/errors.md`);
    } else if (ctx.errorCodes.get(code) !== res.status) {
      problems.push(`error code ${code} is documented as ${ctx.errorCodes.get(code)}, answered with ${res.status}`);
    }
    if (!String(res.headers['content-type'] ?? '').startsWith('application/json'))
      problems.push(`error content-type is ${String(res.headers['content-type'])}`);
  }
  if (writes.length > 0 && (res.status < 200 || res.status >= 300)) problems.push(`a ${res.status} answer changed stored state: ${writes.join('; ')}`);
  problems.push(...semantic);
  return problems;
}

export { clip };
