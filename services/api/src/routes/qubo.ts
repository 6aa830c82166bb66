import type { Readable } from 'node:stream';
import { AppError, QuboProblemInput } from '@kiln/contracts';
import { createQuboProblems, getQuboProblemSummary, getQuboSolution, listQuboProblems, listQuboSolutions, type NewQuboProblem } from '@kiln/db';
import { type Graph, maxCutQubo, misQubo, parseBiqMacSparse, parseBqp, parseGset, parseQuboJson, type QuboProblem } from '@kiln/qubo';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ApiContext } from '../context.js';
import { parseOr400, validationError } from '../http-errors.js';
import { readText } from '../read-body.js';
import { streamBodyParser } from '../stream-body.js';

const UploadQuery = z.object({
  format: z.enum(['json', 'gset', 'bqp', 'sparse']),
  name: z.string().min(1).max(200),
  /** For graph files: what to build from the graph. */
  kind: z.enum(['maxcut', 'mis']).default('maxcut'),
  /** MIS penalty form (Intel's): Q_ii = −wDiag, wOff per edge, wOff > 2·wDiag. */
  wDiag: z.coerce.number().positive().optional(),
  wOff: z.coerce.number().positive().optional(),
});

function toRow(problem: QuboProblem, name: string, format: string, meta: Record<string, unknown> = {}): NewQuboProblem {
  return {
    name,
    format,
    kind: problem.kind,
    sense: problem.sense,
    n: problem.n,
    offset: problem.offset,
    terms: problem.terms,
    ...(problem.graph ? { graph: { i: problem.graph.edges.u, j: problem.graph.edges.v, w: problem.graph.edges.w } } : {}),
    meta,
  };
}

function buildFromGraph(graph: Graph, q: z.infer<typeof UploadQuery>): QuboProblem {
  if (q.kind === 'maxcut') return maxCutQubo(graph);
  return misQubo(graph, { ...(q.wDiag !== undefined ? { wDiag: q.wDiag } : {}), ...(q.wOff !== undefined ? { wOff: q.wOff } : {}) });
}

/** Validates an inline JSON problem (from a job payload) and stores it; it then travels by id. */
export async function storeInlineProblem(ctx: ApiContext, input: unknown, field: string): Promise<{ id: string }> {
  const parsed = QuboProblemInput.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error, field, 'KILN_ERR_PAYLOAD_INVALID');
  const problem = parseQuboJson(parsed.data, { maxN: ctx.limits.quboMaxN, maxTerms: ctx.limits.quboMaxTerms });
  const [row] = await createQuboProblems(ctx.db, [toRow(problem, 'inline', 'inline')]);
  if (!row) throw new AppError('KILN_ERR_INTERNAL', 'problem was not stored');
  return row;
}

export function quboRoutes(app: FastifyInstance, ctx: ApiContext): void {
  void app.register(async (scope) => {
    streamBodyParser(scope);
    scope.post(
      '/v1/qubo/problems',
      { schema: { tags: ['qubo'], summary: 'Upload a QUBO (json, bqp, sparse) or a graph (gset) as the raw request body' } },
      async (req, reply) => {
        const q = parseOr400(UploadQuery, req.query, 'query');
        const text = await readText(req.body as Readable, ctx.limits.uploadBytes);
        const limits = { maxN: ctx.limits.quboMaxN, maxTerms: ctx.limits.quboMaxTerms };
        let rows: NewQuboProblem[];
        switch (q.format) {
          case 'json': {
            let json: unknown;
            try {
              json = JSON.parse(text);
            } catch (error) {
              throw new AppError('KILN_ERR_QUBO_PARSE', `body is not JSON: ${(error as Error).message}`, { details: { field: 'body' } });
            }
            const input = QuboProblemInput.safeParse(json);
            if (!input.success) throw validationError(input.error, 'body');
            rows = [toRow(parseQuboJson(input.data, limits), q.name, 'json')];
            break;
          }
          case 'gset':
            rows = [toRow(buildFromGraph(parseGset(text, limits), q), q.name, 'gset')];
            break;
          case 'bqp':
            rows = parseBqp(text, limits).map(({ problem, index }) => toRow(problem, `${q.name}-${index}`, 'bqp', { index }));
            break;
          case 'sparse':
            rows = [toRow(parseBiqMacSparse(text, limits), q.name, 'sparse')];
            break;
        }
        const stored = await createQuboProblems(ctx.db, rows);
        const present = (p: (typeof stored)[number]) => ({
          id: p.id,
          name: p.name,
          format: p.format,
          kind: p.kind,
          sense: p.sense,
          n: p.n,
          terms: p.numTerms,
          offset: p.offset,
        });
        const first = stored[0];
        if (!first) throw new AppError('KILN_ERR_QUBO_PARSE', 'the file holds no problem');
        return reply.status(201).send({ ...present(first), count: stored.length, problems: stored.map(present) });
      },
    );
  });

  app.get('/v1/qubo/problems', { schema: { tags: ['qubo'], summary: 'List uploaded QUBO problems' } }, async () => ({ items: await listQuboProblems(ctx.db) }));

  app.get('/v1/qubo/problems/:id', { schema: { tags: ['qubo'], summary: 'One QUBO problem (without its terms)' } }, async (req) => {
    const { id } = parseOr400(z.object({ id: z.string() }), req.params, 'params');
    const p = await getQuboProblemSummary(ctx.db, id);
    if (!p) throw new AppError('KILN_ERR_NOT_FOUND', `no problem ${id}`);
    return p;
  });

  app.get('/v1/qubo/solutions', { schema: { tags: ['qubo'], summary: 'Solutions found by qubo.solve jobs, newest first' } }, async (req) => {
    const q = parseOr400(z.object({ problemId: z.string().optional(), limit: z.coerce.number().int().min(1).max(500).default(100) }), req.query, 'query');
    return { items: await listQuboSolutions(ctx.db, q) };
  });

  app.get('/v1/qubo/solutions/:jobId', { schema: { tags: ['qubo'], summary: "A job's solution with its assignment and energy trace" } }, async (req) => {
    const { jobId } = parseOr400(z.object({ jobId: z.string() }), req.params, 'params');
    const s = await getQuboSolution(ctx.db, jobId);
    if (!s) throw new AppError('KILN_ERR_NOT_FOUND', `no solution for job ${jobId}`);
    return s;
  });
}
