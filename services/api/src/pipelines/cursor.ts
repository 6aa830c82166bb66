import { AppError } from '@kiln/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';

/**
 * Cursor paging for the pipeline and schedule lists: newest first, keyset over (createdAt, id),
 * `{ items, next, nextCursor }` with `next` the relative URL of the next page (also a `Link:
 * rel="next"` header). A cursor is opaque: base64url of `[createdAt, id]`.
 */
export interface Keyset {
  createdAt: Date;
  id: string;
}

export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(500).default(50).describe('Items per page.'),
  cursor: z.string().max(200).optional().describe("Where the page starts: the previous page's `nextCursor` (or follow its `next` URL)."),
};

export const Paged = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    next: z.string().nullable().describe('The relative URL of the next page (same filters and limit); null on the last page. Also in the `Link` header.'),
    nextCursor: z.string().nullable().describe('The cursor of the next page alone (pass as `cursor`); null on the last page.'),
  });

const encode = (k: Keyset) => Buffer.from(JSON.stringify([k.createdAt.toISOString(), k.id])).toString('base64url');

/** The key a cursor names; one that does not decode is a 400 naming `query.cursor`. */
export function decodeCursor(cursor: string | undefined): Keyset | undefined {
  if (cursor === undefined) return undefined;
  let value: unknown = null;
  if (/^[A-Za-z0-9_-]+$/.test(cursor)) {
    try {
      value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    } catch {
      value = null;
    }
  }
  const [at, id] = Array.isArray(value) && value.length === 2 ? (value as unknown[]) : [];
  const createdAt = typeof at === 'string' ? new Date(at) : null;
  if (typeof id !== 'string' || !id || id.length > 100 || !createdAt || Number.isNaN(createdAt.getTime()) || createdAt.toISOString() !== at)
    throw new AppError('KILN_ERR_VALIDATION', 'query.cursor: not a cursor of this list (use nextCursor or the next URL of the previous page)', {
      details: { issues: [{ field: 'query.cursor', message: 'not a cursor of this list' }] },
    });
  return { createdAt, id };
}

/** The page answer from rows read with `limit + 1`; sets `Link` when a next page exists. */
export function pageOf<Row extends Keyset, Out>(
  req: FastifyRequest,
  reply: FastifyReply,
  rows: Row[],
  limit: number,
  present: (row: Row) => Out,
): { items: Out[]; next: string | null; nextCursor: string | null } {
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const last = page[page.length - 1];
  const nextCursor = more && last ? encode(last) : null;
  let next: string | null = null;
  if (nextCursor) {
    const url = new URL(req.url, 'http://kiln.invalid');
    url.searchParams.set('cursor', nextCursor);
    url.searchParams.set('limit', String(limit));
    next = `${url.pathname}${url.search}`;
    void reply.header('link', `<${next}>; rel="next"`);
  }
  return { items: page.map(present), next, nextCursor };
}
