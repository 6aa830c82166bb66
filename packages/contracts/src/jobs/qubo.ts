import { z } from 'zod';

// The shapes of `qubo.solve`. QuboSolveParams is type-checked against @kiln/qubo's SolveParams
// (services/api/src/catalog.test.ts), whose SOLVE_DEFAULTS the API fills in.

/** A QUBO inline: minimise Σ w·x_i·x_j + offset over binary x; `[i, j, w]` or `{ i, j, w }` terms, 0-based. */
export const QuboProblemInput = z
  .object({
    n: z.number().int().min(1),
    terms: z.array(z.union([z.tuple([z.number(), z.number(), z.number()]), z.object({ i: z.number(), j: z.number(), w: z.number() }).strict()])),
    offset: z.number().optional(),
  })
  .strict();
export type QuboProblemInput = z.infer<typeof QuboProblemInput>;

/**
 * An Ising problem inline, over spins s ∈ {−1, +1}: minimise Σ h_i·s_i + Σ J_ij·s_i·s_j + offset.
 * `h` as an array or `{ "i": h_i }`; `J` as `[i, j, J_ij]` triples (0-based). Solved as the QUBO with
 * x = (s + 1)/2 and the same energies; the solution reports the spins too.
 */
export const IsingProblemInput = z
  .object({
    n: z.number().int().min(1).optional().describe('Spins (default: one more than the largest index).'),
    h: z.union([z.array(z.number()), z.record(z.string(), z.number())]).optional(),
    J: z.array(z.tuple([z.number(), z.number(), z.number()])).optional(),
    offset: z.number().optional(),
  })
  .strict()
  .refine((p) => p.h !== undefined || p.J !== undefined, { message: 'give h or J', path: ['h'] });
export type IsingProblemInput = z.infer<typeof IsingProblemInput>;

export const SOLVE_MODES = ['auto', 'sa', 'loihi', 'tabu', 'multispin', 'memetic'] as const;

/**
 * How a qubo.solve job anneals, every default filled in. `mode`: 'auto' (picked by problem shape,
 * possibly a portfolio of two modes), or one native kernel mode ('sa' sequential-sweep Metropolis,
 * 'loihi' Loihi-style parallel updates, 'tabu' tabu search, 'multispin' bit-parallel sa for
 * one-magnitude couplings, 'memetic' a tabu-improved population). The optional ones: absent = the
 * mode's (or auto's) own choice; `sweeps` is per anneal (sa), per temperature cycle (loihi) or the
 * stall limit (tabu). `target`: stop once the energy is ≤ target.
 */
export const QuboSolveParams = z
  .object({
    mode: z.enum(SOLVE_MODES),
    timeLimitMs: z.number().int().min(1).max(3_600_000),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1),
    restarts: z.boolean().describe('Keep searching until the time limit or target.'),
    replicas: z.number().int().min(1).max(4096).optional(),
    sweeps: z.number().int().min(1).max(10_000_000).optional(),
    betaStart: z.number().positive().optional(),
    betaEnd: z.number().positive().optional(),
    schedule: z.enum(['geometric', 'linear']).optional(),
    target: z.number().optional().describe('Stop as soon as the energy is ≤ target.'),
    numReads: z
      .number()
      .int()
      .min(1)
      .max(1000)
      .optional()
      .describe(
        'Distinct final states to keep (a sample set, GET /v1/qubo/solutions/{jobId}/samples): 1 (default) keeps the best state alone; up to 1000, the distinct final states of all replicas with energy and count, best first.',
      ),
  })
  .strict();
export type QuboSolveParams = z.infer<typeof QuboSolveParams>;

export const QuboSolveRequest = z
  .object({
    version: z.literal(1).optional(),
    problemId: z.uuid().optional().describe('An uploaded problem (POST /v1/qubo/problems).'),
    problem: z
      .union([QuboProblemInput, IsingProblemInput])
      .optional()
      .describe('Or the problem inline (stored, then referenced by id): a QUBO `{ n, terms, offset? }` or an Ising problem `{ h, J, n?, offset? }`.'),
    params: QuboSolveParams.partial().optional().describe('Defaults: mode auto, timeLimitMs 10000, seed 1, restarts true.'),
  })
  .strict()
  .refine((p) => (p.problemId === undefined) !== (p.problem === undefined), { message: 'give exactly one of problemId or problem', path: ['problemId'] });
export type QuboSolveRequest = z.input<typeof QuboSolveRequest>;

export const QuboSolvePayload = z.object({ version: z.literal(1), problemId: z.uuid(), params: QuboSolveParams }).strict();
export type QuboSolvePayload = z.infer<typeof QuboSolvePayload>;

export const QuboSolveResult = z.object({
  solutionId: z.uuid(),
  kind: z.enum(['qubo', 'maxcut', 'mis']),
  n: z.number().int(),
  energy: z.number(),
  value: z.number().describe("The problem-level objective: cut size (Max-Cut), set size after repair (MIS), the file's own objective (bqp), or the energy."),
  feasible: z.boolean(),
  timeToBestMs: z.number(),
  elapsedMs: z.number(),
  flipAttempts: z.number(),
  mode: z.string().describe('The mode of the search that found the best state.'),
  samples: z.number().int().optional().describe('Distinct states in the sample set (1 unless numReads > 1).'),
});
export type QuboSolveResult = z.infer<typeof QuboSolveResult>;

export const QuboSolveProgress = z.object({
  kind: z.literal('qubo.solve'),
  elapsedMs: z.number(),
  bestEnergy: z.number(),
  sweeps: z.number(),
});
export type QuboSolveProgress = z.infer<typeof QuboSolveProgress>;
