import type { JobState } from '@kiln/contracts';
import type { Db } from '../client.js';

// Deleting resources. Postgres keeps no foreign key from a job to what it references (the
// reference is in its JSON payload) nor from a result to its job (recommendations, solutions and
// training runs are keyed by job id), so what is in use is asked here, and a job's results are
// deleted with it here.

export const unfinishedStates: JobState[] = ['waiting', 'delayed', 'active'];
export const finishedStates: JobState[] = ['completed', 'failed', 'cancelled'];

/** Up to `limit` unfinished jobs whose payload names `id` in `field` (datasetId, modelId, problemId). */
export async function unfinishedJobsReferencing(db: Db, field: 'datasetId' | 'modelId' | 'problemId', id: string, limit = 10): Promise<string[]> {
  const rows = await db.job.findMany({
    where: { state: { in: unfinishedStates }, payload: { path: [field], equals: id } },
    select: { id: true },
    orderBy: { createdAt: 'asc' },
    take: limit,
  });
  return rows.map((r) => r.id);
}

/** Up to `limit` models trained on a dataset. */
export async function modelsOfDataset(db: Db, datasetId: string, limit = 10): Promise<string[]> {
  const rows = await db.model.findMany({ where: { datasetId }, select: { id: true }, orderBy: { createdAt: 'asc' }, take: limit });
  return rows.map((r) => r.id);
}

/** Deletes a dataset with its items and users (cascade); false when there was none. A model still on it makes Postgres refuse (P2003). */
export async function deleteDataset(db: Db, id: string): Promise<boolean> {
  return (await db.dataset.deleteMany({ where: { id } })).count > 0;
}

/** Deletes a model (its weights with it); false when there was none. */
export async function deleteModel(db: Db, id: string): Promise<boolean> {
  return (await db.model.deleteMany({ where: { id } })).count > 0;
}

/** Deletes a QUBO problem; false when there was none. Solutions keep its id (they stand alone). */
export async function deleteQuboProblem(db: Db, id: string): Promise<boolean> {
  return (await db.quboProblem.deleteMany({ where: { id } })).count > 0;
}

/**
 * Deletes finished jobs and what they produced, in one transaction: recommendations, QUBO
 * solutions, training runs (their epochs cascade) and checkpoints, and the inline QUBO problem of
 * a qubo.solve job when no other job names it. Models are resources of their own and stay. Only
 * finished rows are deleted (a job that started again meanwhile is left): returns the ids deleted.
 */
export async function deleteFinishedJobs(db: Db, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  return db.$transaction(async (tx) => {
    const jobs = await tx.job.findMany({ where: { id: { in: ids }, state: { in: finishedStates } }, select: { id: true, kind: true, payload: true } });
    const done = jobs.map((j) => j.id);
    if (done.length === 0) return [];
    const runs = await tx.trainingRun.findMany({ where: { jobId: { in: done } }, select: { id: true } });
    const runIds = runs.map((r) => r.id);
    await tx.recommendation.deleteMany({ where: { jobId: { in: done } } });
    await tx.quboSolution.deleteMany({ where: { jobId: { in: done } } });
    if (runIds.length > 0) {
      await tx.trainingCheckpoint.deleteMany({ where: { runId: { in: runIds } } });
      await tx.trainingRun.deleteMany({ where: { id: { in: runIds } } });
    }
    await tx.job.deleteMany({ where: { id: { in: done } } });
    const problemIds = jobs
      .filter((j) => j.kind === 'qubo.solve')
      .map((j) => (j.payload as { problemId?: unknown } | null)?.problemId)
      .filter((p): p is string => typeof p === 'string');
    for (const problemId of new Set(problemIds)) {
      const others = await tx.job.count({ where: { payload: { path: ['problemId'], equals: problemId } } });
      if (others === 0) await tx.quboProblem.deleteMany({ where: { id: problemId, format: 'inline' } });
    }
    return done;
  });
}

/** Up to `limit` finished jobs that finished before `before` (oldest first): what retention deletes next. */
export async function finishedJobsBefore(db: Db, before: Date, limit: number): Promise<Array<{ id: string; kind: string }>> {
  return db.job.findMany({
    where: { state: { in: finishedStates }, OR: [{ finishedAt: { lt: before } }, { finishedAt: null, updatedAt: { lt: before } }] },
    select: { id: true, kind: true },
    orderBy: { updatedAt: 'asc' },
    take: limit,
  });
}
