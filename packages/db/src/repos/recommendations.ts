import type { Db } from '../client.js';

export interface RecommendationRow {
  userIdx: number;
  userExternalId: string;
  items: string[];
  scores: number[];
}

/** Writes one batch of users' top-K; idempotent per (job, user): rows already written are kept. */
export async function writeRecommendations(db: Db, jobId: string, modelId: string, rows: RecommendationRow[]): Promise<number> {
  const res = await db.recommendation.createMany({
    data: rows.map((r) => ({ jobId, modelId, ...r })),
    skipDuplicates: true,
  });
  return res.count;
}

export function countRecommendations(db: Db, jobId: string): Promise<number> {
  return db.recommendation.count({ where: { jobId } });
}

export function listRecommendations(db: Db, jobId: string, options: { limit?: number; offset?: number; user?: string } = {}) {
  return db.recommendation.findMany({
    where: { jobId, ...(options.user ? { userExternalId: options.user } : {}) },
    orderBy: { userIdx: 'asc' },
    take: Math.min(options.limit ?? 100, 10_000),
    skip: options.offset ?? 0,
    select: { userExternalId: true, items: true, scores: true },
  });
}
