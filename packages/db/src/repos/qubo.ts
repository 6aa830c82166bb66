import { randomUUID } from 'node:crypto';
import { Batcher } from '../batcher.js';
import type { SqlPool } from '../sql.js';
import type { Db } from '../client.js';
import { afterKeyset, newestFirst, type PageOptions } from './keyset.js';
import type { Prisma } from '../generated/prisma/client.js';

/** (i, j, w) triples; packed little-endian as int32, int32, float64 (16 bytes a triple). */
export interface PackedTriples {
  i: Int32Array;
  j: Int32Array;
  w: Float64Array;
}

export function packTriples(t: PackedTriples): Uint8Array<ArrayBuffer> {
  const n = t.i.length;
  const buf = new ArrayBuffer(n * 16);
  const view = new DataView(buf);
  for (let k = 0; k < n; k++) {
    view.setInt32(k * 16, t.i[k]!, true);
    view.setInt32(k * 16 + 4, t.j[k]!, true);
    view.setFloat64(k * 16 + 8, t.w[k]!, true);
  }
  return new Uint8Array(buf);
}

export function unpackTriples(bytes: Uint8Array): PackedTriples {
  const n = Math.floor(bytes.byteLength / 16);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = { i: new Int32Array(n), j: new Int32Array(n), w: new Float64Array(n) };
  for (let k = 0; k < n; k++) {
    out.i[k] = view.getInt32(k * 16, true);
    out.j[k] = view.getInt32(k * 16 + 4, true);
    out.w[k] = view.getFloat64(k * 16 + 8, true);
  }
  return out;
}

export interface NewQuboProblem {
  name: string;
  format: string;
  kind: string;
  sense: string;
  n: number;
  offset: number;
  terms: PackedTriples;
  graph?: PackedTriples;
  meta?: Record<string, unknown>;
}

export interface QuboProblemSummary {
  id: string;
  name: string;
  format: string;
  kind: string;
  sense: string;
  n: number;
  numTerms: number;
  offset: number;
  meta: unknown;
  createdAt: Date;
}

const problemSummary = {
  id: true,
  name: true,
  format: true,
  kind: true,
  sense: true,
  n: true,
  numTerms: true,
  offset: true,
  meta: true,
  createdAt: true,
} as const;

/** Stores problems (a bqp file holds several) in one transaction. */
export async function createQuboProblems(db: Db, problems: NewQuboProblem[]): Promise<QuboProblemSummary[]> {
  return db.$transaction(
    problems.map((p) =>
      db.quboProblem.create({
        data: {
          name: p.name,
          format: p.format,
          kind: p.kind,
          sense: p.sense,
          n: p.n,
          numTerms: p.terms.i.length,
          offset: p.offset,
          terms: packTriples(p.terms),
          graph: p.graph ? packTriples(p.graph) : null,
          meta: (p.meta ?? {}) as Prisma.InputJsonValue,
        },
        select: problemSummary,
      }),
    ),
  );
}

export function getQuboProblemSummary(db: Db, id: string): Promise<QuboProblemSummary | null> {
  return db.quboProblem.findUnique({ where: { id }, select: problemSummary });
}

export async function loadQuboProblem(db: Db, id: string): Promise<(QuboProblemSummary & { terms: PackedTriples; graph: PackedTriples | null }) | null> {
  const row = await db.quboProblem.findUnique({ where: { id } });
  if (!row) return null;
  const { terms, graph, ...rest } = row;
  return { ...rest, terms: unpackTriples(terms), graph: graph ? unpackTriples(graph) : null };
}

/** Problems newest first, keyset-paged. */
export function listQuboProblems(db: Db, options: PageOptions = {}): Promise<QuboProblemSummary[]> {
  return db.quboProblem.findMany({ where: afterKeyset(options.after), orderBy: newestFirst, take: options.limit ?? 100, select: problemSummary });
}

export interface NewQuboSolution {
  jobId: string;
  problemId: string | null;
  kind: string;
  n: number;
  energy: number;
  value: number;
  feasible: boolean;
  assignment: string;
  timeToBestMs: number;
  elapsedMs: number;
  flipAttempts: number;
  mode: string;
  params: unknown;
  trace: unknown;
}

/** One solution per job: a re-run overwrites its own row, never adds a second. */
export async function upsertQuboSolution(db: Db, s: NewQuboSolution): Promise<{ id: string }> {
  const data = { ...s, params: s.params as Prisma.InputJsonValue, trace: s.trace as Prisma.InputJsonValue };
  return db.quboSolution.upsert({ where: { jobId: s.jobId }, create: data, update: data, select: { id: true } });
}

const solutionSummary = {
  id: true,
  jobId: true,
  problemId: true,
  kind: true,
  n: true,
  energy: true,
  value: true,
  feasible: true,
  timeToBestMs: true,
  elapsedMs: true,
  flipAttempts: true,
  mode: true,
  createdAt: true,
} as const;

/** Solutions newest first, keyset-paged. */
export function listQuboSolutions(db: Db, options: PageOptions & { problemId?: string } = {}) {
  return db.quboSolution.findMany({
    where: { ...(options.problemId ? { problemId: options.problemId } : {}), ...afterKeyset(options.after) },
    orderBy: newestFirst,
    take: options.limit ?? 100,
    select: solutionSummary,
  });
}

export function getQuboSolution(db: Db, jobId: string) {
  return db.quboSolution.findUnique({ where: { jobId } });
}

export function countQuboSolutions(db: Db, jobId: string): Promise<number> {
  return db.quboSolution.count({ where: { jobId } });
}

/**
 * Solutions written in groups (concurrent sub-millisecond solves share one statement). `upsert`
 * resolves with the row's id once it is written; a re-run of a job overwrites its own row and
 * keeps its id, unless the job already completed (then the row it completed with stays).
 */
export class QuboSolutionWriter {
  private readonly batcher: Batcher<{ row: NewQuboSolution; out: { id?: string } }>;

  constructor(
    private readonly pool: SqlPool,
    options: { lingerMs?: number } = {},
  ) {
    this.batcher = new Batcher(
      async (items) => {
        const rows = items.map(({ row }) => ({ ...row, newId: randomUUID() }));
        const res = await this.pool.query<{ id: string; jobId: string }>(
          `INSERT INTO "QuboSolution" ("id", "jobId", "problemId", "kind", "n", "energy", "value", "feasible", "assignment", "timeToBestMs", "elapsedMs", "flipAttempts", "mode", "params", "trace")
         SELECT DISTINCT ON (r."jobId") r."newId", r."jobId", r."problemId", r."kind", r."n", r."energy", r."value", r."feasible", r."assignment",
                r."timeToBestMs", r."elapsedMs", r."flipAttempts", r."mode", r."params", r."trace"
         FROM jsonb_to_recordset($1::jsonb) AS r("newId" text, "jobId" text, "problemId" text, "kind" text, "n" int, "energy" float8, "value" float8,
              "feasible" boolean, "assignment" text, "timeToBestMs" float8, "elapsedMs" float8, "flipAttempts" float8, "mode" text, "params" jsonb, "trace" jsonb)
         ON CONFLICT ("jobId") DO UPDATE SET "problemId" = EXCLUDED."problemId", "kind" = EXCLUDED."kind", "n" = EXCLUDED."n", "energy" = EXCLUDED."energy",
           "value" = EXCLUDED."value", "feasible" = EXCLUDED."feasible", "assignment" = EXCLUDED."assignment", "timeToBestMs" = EXCLUDED."timeToBestMs",
           "elapsedMs" = EXCLUDED."elapsedMs", "flipAttempts" = EXCLUDED."flipAttempts", "mode" = EXCLUDED."mode", "params" = EXCLUDED."params", "trace" = EXCLUDED."trace"
         WHERE NOT EXISTS (SELECT 1 FROM "Job" j WHERE j."id" = "QuboSolution"."jobId" AND j."state" = 'completed')
         RETURNING "id", "jobId"`,
          [JSON.stringify(rows)],
        );
        const ids = new Map(res.rows.map((r) => [r.jobId, r.id]));
        // A job already completed keeps the solution it completed with: this run's is not written.
        const kept = items.filter((it) => !ids.has(it.row.jobId)).map((it) => it.row.jobId);
        if (kept.length > 0) {
          const old = await this.pool.query<{ id: string; jobId: string }>(`SELECT "id", "jobId" FROM "QuboSolution" WHERE "jobId" = ANY($1::text[])`, [kept]);
          for (const r of old.rows) ids.set(r.jobId, r.id);
        }
        for (const it of items) it.out.id = ids.get(it.row.jobId);
      },
      1000,
      options.lingerMs ?? 0,
    );
  }

  async upsert(row: NewQuboSolution): Promise<{ id: string }> {
    const out: { id?: string } = {};
    await this.batcher.add({ row, out });
    if (!out.id) throw new Error(`solution of job ${row.jobId} was not written`);
    return { id: out.id };
  }
}
