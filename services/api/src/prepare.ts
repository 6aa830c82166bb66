import { AppError, type JobKind, type JobPayload, type ParsedJobRequest } from '@kiln/contracts';
import { getDataset, getModel, getQuboProblemSummary, loadQuboProblem } from '@kiln/db';
import { problemShape, type QuboProblem, solveParams, toCsr } from '@kiln/qubo';
import { dataRule, MAMBA4REC_DEFAULTS, resolveTrainingConfig, SCORE_DEFAULTS } from '@kiln/ssm/config';
import type { ApiContext } from './context.js';
import { storeInlineProblem } from './routes/qubo.js';
import { checkTrainingMemory, datasetTooSmall, trainingDataset } from './ssm-guards.js';

/**
 * Where a preparer runs: the API's context, and what it stored on the way (inline QUBOs), so a
 * request that fails later (a batch with a bad item, a failed group commit) removes it again.
 */
export class PrepareScope {
  readonly stored: string[] = [];
  constructor(readonly ctx: ApiContext) {}
  async undo(): Promise<void> {
    if (this.stored.length > 0) await this.ctx.db.quboProblem.deleteMany({ where: { id: { in: this.stored } } }).catch(() => undefined);
  }
}

/** Turns a kind's parsed request into its payload: checks references, stores inline inputs, fills every default. */
export type Preparer<K extends JobKind> = (request: ParsedJobRequest<K>, scope: PrepareScope) => Promise<JobPayload<K>>;

/**
 * One preparer per kind of the catalog (a kind without one fails the type check). Defaults come
 * from the compute packages that own them (@kiln/ssm's TRAINING_DEFAULTS and presets,
 * @kiln/qubo's SOLVE_DEFAULTS), so a job runs exactly what the library would by default.
 */
export const preparers: { [K in JobKind]: Preparer<K> } = {
  'ssm.train': async (r, { ctx }) => {
    const dataset = await trainingDataset(ctx, r.datasetId);
    if (!dataset) throw new AppError('KILN_ERR_DATASET_UNKNOWN', `payload.datasetId: no dataset ${r.datasetId}`, { details: { field: 'payload.datasetId' } });
    // The default preset takes maxLen, dropout, batchSize and maxEpochs from the data's shape
    // (ADR 11, "Defaults from the data"); the paper's preset is the paper's run as it was.
    const rule = (r.preset ?? 'default') === 'default' ? dataRule(dataset.shape) : undefined;
    const payload: JobPayload<'ssm.train'> = {
      version: 1,
      datasetId: r.datasetId,
      ...(r.name !== undefined ? { name: r.name } : {}),
      model: { ...MAMBA4REC_DEFAULTS, ...rule?.model, ...r.model },
      training: resolveTrainingConfig({ ...rule?.training, ...r.training }, r.preset),
    };
    // Refused here what cannot run: a dataset leave-one-out cannot split (one stored before the
    // upload check), a job whose estimated memory is above the workers' budget.
    if (dataset.tooSmall) throw datasetTooSmall(dataset.tooSmall);
    checkTrainingMemory(ctx, payload, dataset.summary);
    return payload;
  },
  'ssm.score': async (r, { ctx }) => {
    if (!(await ctx.exists.has(`model:${r.modelId}`, () => getModel(ctx.db, r.modelId))))
      throw new AppError('KILN_ERR_MODEL_UNKNOWN', `payload.modelId: no model ${r.modelId}`, { details: { field: 'payload.modelId' } });
    return {
      version: 1,
      modelId: r.modelId,
      users: r.users ?? 'all',
      k: r.k ?? SCORE_DEFAULTS.k,
      excludeSeen: r.excludeSeen ?? SCORE_DEFAULTS.excludeSeen,
    };
  },
  'ssm.prime': async (r, { ctx }) => {
    const model = await getModel(ctx.db, r.modelId);
    if (!model) throw new AppError('KILN_ERR_MODEL_UNKNOWN', `payload.modelId: no model ${r.modelId}`, { details: { field: 'payload.modelId' } });
    const datasetId = r.datasetId ?? model.datasetId;
    if (r.datasetId !== undefined && !(await ctx.exists.has(`dataset:${datasetId}`, () => getDataset(ctx.db, datasetId))))
      throw new AppError('KILN_ERR_DATASET_UNKNOWN', `payload.datasetId: no dataset ${datasetId}`, { details: { field: 'payload.datasetId' } });
    return { version: 1, modelId: r.modelId, datasetId };
  },
  'qubo.solve': async (r, scope) => {
    const { ctx } = scope;
    let problemId = r.problemId;
    if (problemId !== undefined) {
      const id = problemId;
      if (!(await ctx.exists.has(`problem:${id}`, () => getQuboProblemSummary(ctx.db, id))))
        throw new AppError('KILN_ERR_PROBLEM_UNKNOWN', `payload.problemId: no problem ${problemId}`, { details: { field: 'payload.problemId' } });
    } else {
      // Inline problems are stored like uploads and travel by reference.
      problemId = (await storeInlineProblem(ctx, r.problem, 'payload.problem')).id;
      scope.stored.push(problemId);
    }
    if (r.params?.mode === 'multispin') await checkMultispin(ctx, problemId);
    return { version: 1, problemId, params: solveParams(r.params) };
  },
};

/**
 * mode 'multispin' takes couplings of one magnitude only (Max-Cut with ±1 or +1 weights, MIS): any
 * other problem is a 400 naming params.mode, before anything is queued. (The kernel's rarer limits,
 * such as fields with more than 16 distinct fractional parts, fail the job with the kernel's message.)
 */
async function checkMultispin(ctx: ApiContext, problemId: string): Promise<void> {
  const row = await loadQuboProblem(ctx.db, problemId);
  if (!row) return;
  const problem: QuboProblem = {
    n: row.n,
    terms: row.terms,
    offset: row.offset,
    kind: row.kind as QuboProblem['kind'],
    sense: row.sense as QuboProblem['sense'],
  };
  const { distinctCouplings, couplings } = problemShape(toCsr(problem));
  if (couplings > 0 && distinctCouplings === 1) return;
  const why = couplings === 0 ? 'the problem has no couplings' : `its couplings take ${distinctCouplings >= 65 ? '65 or more' : distinctCouplings} magnitudes`;
  throw new AppError(
    'KILN_ERR_PAYLOAD_INVALID',
    `payload.params.mode: 'multispin' needs couplings of one magnitude (Max-Cut with ±1 or +1 weights, MIS); ${why}. Use 'sa' or 'auto'.`,
    {
      details: { issues: [{ field: 'payload.params.mode', message: `'multispin' needs couplings of one magnitude; ${why}` }] },
    },
  );
}

/**
 * Prepares a request of any kind. The preparers' return types are the catalog's payload types
 * (checked by tsc), and the worker parses every payload again before it runs, so the hot submit
 * path does not parse it a second time here.
 */
export async function preparePayload<K extends JobKind>(kind: K, request: ParsedJobRequest<K>, scope: PrepareScope): Promise<JobPayload<K>> {
  try {
    return await (preparers[kind] as Preparer<K>)(request, scope);
  } catch (error) {
    // A library resolver's RangeError is bad input that the schema let through.
    if (error instanceof RangeError)
      throw new AppError('KILN_ERR_PAYLOAD_INVALID', `payload: ${error.message}`, { details: { issues: [{ field: 'payload', message: error.message }] } });
    throw error;
  }
}
