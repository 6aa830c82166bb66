/**
 * Keyset paging over (createdAt, id), newest first: a page starts after the last row of the
 * previous one, so rows inserted meanwhile never shift it (no skipped or repeated rows, unlike
 * OFFSET) and every page costs one index range scan.
 */
export interface Keyset {
  createdAt: Date;
  id: string;
}

export interface PageOptions {
  /** Rows to return (the API asks one more to know whether a next page exists). */
  limit?: number;
  /** The last row of the previous page. */
  after?: Keyset;
}

/** The Prisma `where` of the rows after `after` in (createdAt desc, id desc) order. */
export function afterKeyset(after: Keyset | undefined): Record<string, unknown> {
  if (!after) return {};
  return { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] };
}

/** Newest first, ties broken by id: the order every keyset-paged list uses. */
export const newestFirst = [{ createdAt: 'desc' as const }, { id: 'desc' as const }];
