import type { Db } from '../client.js';

export interface QuboSampleRow {
  /** 0 is the best. */
  rank: number;
  /** One '0' or '1' per variable. */
  assignment: string;
  energy: number;
  numOccurrences: number;
}

/**
 * Stores a solution's sample set (rank order), replacing the one a previous attempt of the same job
 * wrote; a job that already completed keeps the set it completed with.
 */
export async function writeQuboSamples(db: Db, jobId: string, solutionId: string, samples: QuboSampleRow[]): Promise<void> {
  const done = await db.job.findFirst({ where: { id: jobId, state: 'completed' }, select: { id: true } });
  if (done) return;
  await db.$transaction([db.quboSample.deleteMany({ where: { solutionId } }), db.quboSample.createMany({ data: samples.map((s) => ({ solutionId, ...s })) })]);
}

/** A page of a solution's samples in rank order, after rank `after`. */
export async function listQuboSamples(db: Db, solutionId: string, options: { limit?: number; after?: number } = {}) {
  const limit = options.limit ?? 100;
  const rows = await db.quboSample.findMany({
    where: { solutionId, ...(options.after !== undefined ? { rank: { gt: options.after } } : {}) },
    orderBy: { rank: 'asc' },
    take: limit + 1,
    select: { rank: true, assignment: true, energy: true, numOccurrences: true },
  });
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  return { items, nextCursor: more ? (items[items.length - 1]?.rank ?? null) : null };
}

export function countQuboSamples(db: Db, solutionId: string): Promise<number> {
  return db.quboSample.count({ where: { solutionId } });
}
