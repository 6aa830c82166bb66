import type { Db } from '../client.js';

export interface RecommendationRow {
  userIdx: number;
  userExternalId: string;
  items: string[];
  scores: number[];
}

/**
 * Writes one batch of users' top-K; idempotent per (job, user): rows already written are kept.
 * One statement per batch (the rows travel as one JSON parameter): Prisma's createMany spends
 * ~0.4 ms a row on these array columns, this ~30× less.
 */
export async function writeRecommendations(db: Db, jobId: string, modelId: string, rows: RecommendationRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const payload = JSON.stringify(rows.map((r) => ({ u: r.userIdx, e: r.userExternalId, i: r.items, s: r.scores })));
  return db.$executeRaw`
    INSERT INTO "Recommendation" ("jobId", "userIdx", "modelId", "userExternalId", "items", "scores")
    SELECT ${jobId}, (r->>'u')::int, ${modelId}, r->>'e',
           ARRAY(SELECT jsonb_array_elements_text(r->'i')),
           ARRAY(SELECT jsonb_array_elements_text(r->'s')::float8)
    FROM jsonb_array_elements(${payload}::jsonb) AS r
    ON CONFLICT ("jobId", "userIdx") DO NOTHING`;
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

export interface RecommendationPage {
  items: Array<{ userIdx: number; userExternalId: string; items: string[]; scores: number[] }>;
  /** The last user's index on this page, when more users follow; null on the last page. */
  nextCursor: number | null;
}

/**
 * One page of a scoring job's users in user order, keyset-paged on the user's index: a page costs
 * one index range scan on the (jobId, userIdx) key however deep it is (OFFSET read every earlier row).
 */
export async function listRecommendationsPage(
  db: Db,
  jobId: string,
  options: { limit?: number; after?: number; user?: string } = {},
): Promise<RecommendationPage> {
  const limit = Math.min(options.limit ?? 100, 10_000);
  const rows = await db.recommendation.findMany({
    where: { jobId, ...(options.user ? { userExternalId: options.user } : {}), ...(options.after !== undefined ? { userIdx: { gt: options.after } } : {}) },
    orderBy: { userIdx: 'asc' },
    take: limit + 1,
    select: { userIdx: true, userExternalId: true, items: true, scores: true },
  });
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  return { items, nextCursor: more ? (items[items.length - 1]?.userIdx ?? null) : null };
}

/**
 * Every user of a scoring job in user order, `batch` users per query (keyset on the user's index),
 * so memory stays at one batch whatever the job's size. The next batch is read only when the
 * consumer asks for it: a slow reader (an HTTP client) holds the query back, not a growing buffer.
 */
export async function* streamRecommendations(db: Db, jobId: string, options: { batch?: number } = {}): AsyncGenerator<RecommendationRow[]> {
  const batch = options.batch ?? 2000;
  let after = -1;
  for (;;) {
    const rows = await db.recommendation.findMany({
      where: { jobId, userIdx: { gt: after } },
      orderBy: { userIdx: 'asc' },
      take: batch,
      select: { userIdx: true, userExternalId: true, items: true, scores: true },
    });
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < batch) return;
    after = (rows[rows.length - 1] as RecommendationRow).userIdx;
  }
}
