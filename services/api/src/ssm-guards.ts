import { AppError, type JobPayload } from '@kiln/contracts';
import { type DatasetSummary, getDataset } from '@kiln/db';
import { type DatasetShape, trainingMemoryProblem } from '@kiln/ssm/config';
import { type DatasetTooSmallError, trainableProblem } from '@kiln/ssm/data';
import type { ApiContext } from './context.js';

/** What a training submit needs to know of its dataset; datasets never change, so it is kept per API. */
interface DatasetFacts {
  summary: DatasetSummary;
  /** What the default preset's data rule reads (dataRule in @kiln/ssm). */
  shape: DatasetShape;
  /** Undefined: the dataset can be trained; else why not (a training job on it gets a 400). */
  tooSmall: DatasetTooSmallError | undefined;
}

const facts = new WeakMap<ApiContext, Map<string, DatasetFacts>>();
const MAX_CACHED = 1000;

/** The dataset's summary and whether leave-one-out can split it (null: no such dataset). */
export async function trainingDataset(ctx: ApiContext, datasetId: string): Promise<DatasetFacts | null> {
  let cache = facts.get(ctx);
  if (!cache) {
    cache = new Map();
    facts.set(ctx, cache);
  }
  const known = cache.get(datasetId);
  if (known) return known;
  const summary = await getDataset(ctx.db, datasetId);
  if (!summary) return null;
  const found: DatasetFacts = { summary, shape: await datasetShape(ctx, summary), tooSmall: await splitProblem(ctx, summary) };
  cache.set(datasetId, found);
  if (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value as string);
  return found;
}

/** The dataset's shape: its counts, and the 99th percentile of its users' lengths (one query over its user rows). */
async function datasetShape(ctx: ApiContext, summary: DatasetSummary): Promise<DatasetShape> {
  const { rows } = await ctx.sql.query<{ p99: number | null }>(
    'SELECT percentile_disc(0.99) WITHIN GROUP (ORDER BY cardinality("items")) AS p99 FROM "DatasetUser" WHERE "datasetId" = $1',
    [summary.id],
  );
  return { users: summary.users, items: summary.items, interactions: summary.interactions, lengthP99: Number(rows[0]?.p99 ?? 0) };
}

/** The API's error for a dataset leave-one-out cannot split (at upload and at submit). */
export function datasetTooSmall(problem: DatasetTooSmallError): AppError {
  return new AppError('KILN_ERR_DATASET_TOO_SMALL', problem.message, { details: problem.details });
}

/**
 * Datasets uploaded before the upload check existed may be too small. After a k-core filter of
 * k ≥ 4 every user has ≥ 4 interactions, so two users suffice; otherwise the users' lengths are
 * counted in Postgres (one grouped query over the dataset's user rows).
 */
async function splitProblem(ctx: ApiContext, summary: DatasetSummary) {
  if (summary.kcore >= 4) return trainableProblem(Array.from({ length: Math.min(summary.users, 2) }, () => 4));
  const { rows } = await ctx.sql.query<{ n: number; users: number }>(
    'SELECT cardinality("items") AS n, count(*)::int AS users FROM "DatasetUser" WHERE "datasetId" = $1 GROUP BY 1',
    [summary.id],
  );
  return trainableProblem(
    (function* () {
      for (const row of rows) for (let i = 0; i < row.users; i++) yield row.n;
    })(),
  );
}

/** Refuses a training job whose estimated peak memory is above the workers' budget (KILN_SSM_MEMORY_MB), saying what to reduce. */
export function checkTrainingMemory(ctx: ApiContext, payload: JobPayload<'ssm.train'>, dataset: DatasetSummary): void {
  const problem = trainingMemoryProblem({ model: payload.model, training: payload.training, nItems: dataset.items, dataset }, ctx.limits.ssmMemoryBytes);
  if (problem) throw new AppError('KILN_ERR_RESOURCE_LIMIT', problem.message, { details: problem.details });
}
