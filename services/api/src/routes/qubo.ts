import type { Readable } from 'node:stream';
import { AppError, IsingProblemInput, QuboProblemInput } from '@kiln/contracts';
import {
  createQuboProblems,
  deleteQuboProblem,
  getQuboProblemSummary,
  countQuboSamples,
  getQuboSolution,
  listQuboProblems,
  listQuboSamples,
  listQuboSolutions,
  type NewQuboProblem,
  unfinishedJobsReferencing,
} from '@kiln/db';
import {
  assertCoefficientRange,
  type Graph,
  type IsingInput,
  isIsingInput,
  isingToQubo,
  maxCutQubo,
  misQubo,
  parseBiqMacSparse,
  parseBqp,
  parseGset,
  parseQuboJson,
  type QuboProblem,
} from '@kiln/qubo';
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiContext } from '../context.js';
import { validationError } from '../http-errors.js';
import { inUse } from '../in-use.js';
import { afterCursor, locationOf, Paged, pageOf, pageQuery } from '../paging.js';
import { readText } from '../read-body.js';
import { errorResponses, iso } from '../schemas/common.js';
import { QuboProblemSummary, QuboProblemsCreated, QuboSampleOut, QuboSolution, QuboSolutionSummary } from '../schemas/resources.js';
import { UploadBody, uploadContentTypes } from '../schemas/upload.js';
import { streamBodyParser } from '../stream-body.js';

const UploadQuery = z.object({
  format: z
    .enum(['json', 'ising', 'gset', 'bqp', 'sparse'])
    .describe(
      'json: {n, terms, offset}; ising: {h, J, n?, offset?} over spins ±1 (stored as the QUBO with x = (s+1)/2 and the same energies); gset: a G-set graph; bqp: OR-Library (several problems: <name>-1..k); sparse: Biq Mac .sparse.',
    ),
  name: z.string().min(1).max(200),
  kind: z.enum(['maxcut', 'mis']).default('maxcut').describe('For graph files (gset): what to build from the graph.'),
  wDiag: z.coerce.number().positive().optional().describe("MIS penalty form (Intel's): Q_ii = −wDiag."),
  wOff: z.coerce.number().positive().optional().describe('MIS penalty form: wOff per edge, wOff > 2·wDiag.'),
});

function toRow(problem: QuboProblem, name: string, format: string, meta: Record<string, unknown> = {}): NewQuboProblem {
  // Every format: coefficients an annealer can work with (a 400 KILN_ERR_QUBO_RANGE otherwise).
  assertCoefficientRange(problem);
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
  try {
    return misQubo(graph, { ...(q.wDiag !== undefined ? { wDiag: q.wDiag } : {}), ...(q.wOff !== undefined ? { wOff: q.wOff } : {}) });
  } catch (error) {
    // The penalty form's own rule (wOff > 2·wDiag, both finite and positive), said as a bad query.
    if (error instanceof RangeError)
      throw new AppError('KILN_ERR_VALIDATION', `query.wOff: ${error.message}`, { details: { issues: [{ field: 'query.wOff', message: error.message }] } });
    throw error;
  }
}

/** An Ising problem `{ h, J, n?, offset? }` as the QUBO of the same energies, kept apart by its format 'ising'. */
function isingRow(ctx: ApiContext, input: unknown, name: string, field: string, code?: 'KILN_ERR_PAYLOAD_INVALID'): NewQuboProblem {
  const parsed = IsingProblemInput.safeParse(input);
  if (!parsed.success) throw code ? validationError(parsed.error, field, code) : validationError(parsed.error, field);
  const limits = { maxN: ctx.limits.quboMaxN, maxTerms: ctx.limits.quboMaxTerms };
  return toRow(isingToQubo(parsed.data as IsingInput, limits), name, 'ising', { ising: true });
}

/** Validates an inline JSON problem (from a job payload) and stores it; it then travels by id. */
export async function storeInlineProblem(ctx: ApiContext, input: unknown, field: string): Promise<{ id: string }> {
  if (isIsingInput(input)) {
    const [row] = await createQuboProblems(ctx.db, [isingRow(ctx, input, 'inline', field, 'KILN_ERR_PAYLOAD_INVALID')]);
    if (!row) throw new AppError('KILN_ERR_INTERNAL', 'problem was not stored');
    return row;
  }
  const parsed = QuboProblemInput.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error, field, 'KILN_ERR_PAYLOAD_INVALID');
  const problem = parseQuboJson(parsed.data, { maxN: ctx.limits.quboMaxN, maxTerms: ctx.limits.quboMaxTerms });
  const [row] = await createQuboProblems(ctx.db, [toRow(problem, 'inline', 'inline')]);
  if (!row) throw new AppError('KILN_ERR_INTERNAL', 'problem was not stored');
  return row;
}

/** Whether a solution's problem was given in Ising form (its spins are then shown). */
async function isIsingSolution(ctx: ApiContext, problemId: string | null): Promise<boolean> {
  if (!problemId) return false;
  return (await getQuboProblemSummary(ctx.db, problemId))?.format === 'ising';
}

const spinsOf = (assignment: string) => Array.from(assignment, (c) => (c === '1' ? 1 : -1));

type ProblemRow = { createdAt: Date } & Omit<z.infer<typeof QuboProblemSummary>, 'createdAt' | 'kind' | 'sense'> & { kind: string; sense: string };
const presentProblem = (p: ProblemRow) => ({ ...p, kind: p.kind as 'qubo', sense: p.sense as 'min', createdAt: iso(p.createdAt) });

export const quboRoutes: FastifyPluginAsyncZod<{ ctx: ApiContext }> = async (app, { ctx }) => {
  await app.register(async (scope) => {
    streamBodyParser(scope);
    scope.withTypeProvider<ZodTypeProvider>().post(
      '/v1/qubo/problems',
      {
        schema: {
          tags: ['qubo'],
          operationId: 'uploadQuboProblems',
          summary: 'Upload a QUBO (json, bqp, sparse) or a graph (gset)',
          description: 'The file is the raw request body. A bqp file holds several problems; each is stored as <name>-<index>.',
          consumes: uploadContentTypes,
          querystring: UploadQuery,
          body: UploadBody,
          response: { 201: QuboProblemsCreated, ...errorResponses(400, 413) },
        },
      },
      async (req, reply) => {
        const q = req.query;
        const text = await readText(req.body as unknown as Readable, ctx.limits.uploadBytes);
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
          case 'ising': {
            let json: unknown;
            try {
              json = JSON.parse(text);
            } catch (error) {
              throw new AppError('KILN_ERR_QUBO_PARSE', `body is not JSON: ${(error as Error).message}`, { details: { field: 'body' } });
            }
            rows = [isingRow(ctx, json, q.name, 'body')];
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
          default: {
            const unknown: never = q.format;
            throw new AppError('KILN_ERR_VALIDATION', `query.format: unknown format ${String(unknown)}`);
          }
        }
        if (rows.length === 0) throw new AppError('KILN_ERR_QUBO_PARSE', 'the file holds no problem');
        const stored = await createQuboProblems(ctx.db, rows);
        const present = (p: (typeof stored)[number]) => ({
          id: p.id,
          name: p.name,
          format: p.format,
          kind: p.kind as 'qubo',
          sense: p.sense as 'min',
          n: p.n,
          terms: p.numTerms,
          offset: p.offset,
        });
        const first = stored[0];
        if (!first) throw new AppError('KILN_ERR_QUBO_PARSE', 'the file holds no problem');
        // Location names the first problem (a bqp file makes several: `problems` lists them all).
        return reply
          .status(201)
          .header('location', locationOf('/v1/qubo/problems', first.id))
          .send({ ...present(first), count: stored.length, problems: stored.map(present) });
      },
    );
  });

  app.get(
    '/v1/qubo/problems',
    {
      schema: {
        tags: ['qubo'],
        operationId: 'listQuboProblems',
        summary: 'List uploaded QUBO problems, newest first (paged: follow `next`)',
        querystring: z.object(pageQuery(100)),
        response: { 200: Paged(QuboProblemSummary), ...errorResponses(400) },
      },
    },
    async (req, reply) => {
      const { limit } = req.query;
      const rows = await listQuboProblems(ctx.db, { limit: limit + 1, ...afterCursor(req.query.cursor) });
      return pageOf(req, reply, rows, limit, presentProblem);
    },
  );

  app.delete(
    '/v1/qubo/problems/:id',
    {
      schema: {
        tags: ['qubo'],
        operationId: 'deleteQuboProblem',
        summary: 'Delete a QUBO problem',
        description: 'Refused with 409 KILN_ERR_IN_USE while an unfinished qubo.solve job uses it (`details.jobs`). Solutions of finished jobs stay.',
        params: z.object({ id: z.string().min(1).max(100) }),
        response: { 204: z.void().describe('Deleted.'), ...errorResponses(400, 404, 409) },
      },
    },
    async (req, reply) => {
      const { id } = req.params;
      if (!(await getQuboProblemSummary(ctx.db, id))) throw new AppError('KILN_ERR_NOT_FOUND', `no problem ${id}`);
      const jobs = await unfinishedJobsReferencing(ctx.db, 'problemId', id);
      if (jobs.length > 0) throw inUse('problem', id, { jobs });
      if (!(await deleteQuboProblem(ctx.db, id))) throw new AppError('KILN_ERR_NOT_FOUND', `no problem ${id}`);
      ctx.exists.forget(`problem:${id}`);
      return reply.status(204).send();
    },
  );

  app.get(
    '/v1/qubo/problems/:id',
    {
      schema: {
        tags: ['qubo'],
        operationId: 'getQuboProblem',
        summary: 'One QUBO problem (without its terms)',
        params: z.object({ id: z.string().min(1).max(100) }),
        response: { 200: QuboProblemSummary, ...errorResponses(400, 404) },
      },
    },
    async (req) => {
      const p = await getQuboProblemSummary(ctx.db, req.params.id);
      if (!p) throw new AppError('KILN_ERR_NOT_FOUND', `no problem ${req.params.id}`);
      return presentProblem(p);
    },
  );

  app.get(
    '/v1/qubo/solutions',
    {
      schema: {
        tags: ['qubo'],
        operationId: 'listQuboSolutions',
        summary: 'Solutions found by qubo.solve jobs, newest first (paged: follow `next`)',
        querystring: z.object({ problemId: z.string().max(100).optional(), ...pageQuery(100) }),
        response: { 200: Paged(QuboSolutionSummary), ...errorResponses(400) },
      },
    },
    async (req, reply) => {
      const { limit, problemId } = req.query;
      const rows = await listQuboSolutions(ctx.db, { limit: limit + 1, ...(problemId ? { problemId } : {}), ...afterCursor(req.query.cursor) });
      return pageOf(req, reply, rows, limit, (s) => ({ ...s, createdAt: iso(s.createdAt) }));
    },
  );

  app.get(
    '/v1/qubo/solutions/:jobId',
    {
      schema: {
        tags: ['qubo'],
        operationId: 'getQuboSolution',
        summary: "A job's solution with its assignment and energy trace",
        params: z.object({ jobId: z.string().min(1).max(100) }),
        response: { 200: QuboSolution, ...errorResponses(400, 404) },
      },
    },
    async (req) => {
      const s = await getQuboSolution(ctx.db, req.params.jobId);
      if (!s) throw new AppError('KILN_ERR_NOT_FOUND', `no solution for job ${req.params.jobId}`);
      const [ising, stored] = await Promise.all([isIsingSolution(ctx, s.problemId), countQuboSamples(ctx.db, s.id)]);
      return {
        ...s,
        ...(ising ? { spins: spinsOf(s.assignment) } : {}),
        numSamples: Math.max(1, stored),
        params: s.params as Record<string, unknown>,
        trace: s.trace as Array<{ tMs: number; energy: number }>,
        createdAt: iso(s.createdAt),
      };
    },
  );

  app.get(
    '/v1/qubo/solutions/:jobId/samples',
    {
      schema: {
        tags: ['qubo'],
        operationId: 'listQuboSamples',
        summary: "A job's sample set: its distinct final states, best first (paged: follow `next`)",
        description:
          "dwave's SampleSet: with `numReads` > 1 the distinct final states of every replica (sa: where its last anneal ended; loihi: after its last cycle; tabu: its best), " +
          'each with its energy and `numOccurrences`, best first (ties: the more frequent first), at most numReads; rank 0 is always the best state found. ' +
          'With numReads 1 (the default) the set is the best state alone. An Ising problem gives the spins of each sample too.',
        params: z.object({ jobId: z.string().min(1).max(100) }),
        querystring: z.object({
          limit: z.coerce.number().int().min(1).max(1000).default(100).describe('Samples per page.'),
          cursor: z
            .string()
            .regex(/^\d{1,10}$/, 'a nextCursor of this list')
            .optional()
            .describe("The previous page's nextCursor."),
        }),
        response: { 200: Paged(QuboSampleOut), ...errorResponses(400, 404) },
      },
    },
    async (req, reply) => {
      const { jobId } = req.params;
      const { limit, cursor } = req.query;
      const s = await getQuboSolution(ctx.db, jobId);
      if (!s) throw new AppError('KILN_ERR_NOT_FOUND', `no solution for job ${jobId}`);
      const ising = await isIsingSolution(ctx, s.problemId);
      const present = (x: { rank: number; assignment: string; energy: number; numOccurrences: number }) => ({
        ...x,
        ...(ising ? { spins: spinsOf(x.assignment) } : {}),
      });
      const page = await listQuboSamples(ctx.db, s.id, { limit, ...(cursor !== undefined ? { after: Number(cursor) } : {}) });
      // A solution without a stored set (numReads 1): the best state alone.
      const items = page.items.length > 0 || cursor !== undefined ? page.items : [{ rank: 0, assignment: s.assignment, energy: s.energy, numOccurrences: 1 }];
      const nextCursor = page.nextCursor === null ? null : String(page.nextCursor);
      const next =
        nextCursor === null
          ? null
          : `/v1/qubo/solutions/${encodeURIComponent(jobId)}/samples?${new URLSearchParams({ limit: String(limit), cursor: nextCursor })}`;
      if (next) reply.header('link', `<${next}>; rel="next"`);
      return { items: items.map(present), next, nextCursor };
    },
  );
};
