import { AppError } from '@kiln/contracts';
import type { Keyset } from '@kiln/db';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';

/**
 * One paging style for every list that can grow: newest first, keyset cursors over
 * (createdAt, id), and `{ items, next, nextCursor }` answers. `next` is the relative URL of the
 * next page (the same filters, `cursor` and `limit`), also sent as `Link: <next>; rel="next"`;
 * `nextCursor` is its cursor alone. A cursor is opaque: base64url of `[createdAt, id]`.
 */

/** The `limit` and `cursor` query fields of a paged list. */
export function pageQuery(defaultLimit: number, maxLimit = 500) {
  return {
    limit: z.coerce.number().int().min(1).max(maxLimit).default(defaultLimit).describe('Items per page.'),
    cursor: z.string().max(200).optional().describe("Where the page starts: the previous page's `nextCursor` (or follow its `next` URL, which carries it)."),
  };
}

/** A page of `item`s. */
export const Paged = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    next: z
      .string()
      .nullable()
      .describe('The relative URL of the next page (same filters and limit); null on the last page. Also in the `Link` header (rel="next").'),
    nextCursor: z.string().nullable().describe('The cursor of the next page alone (pass as `cursor`); null on the last page.'),
  });

export function encodeCursor(k: Keyset): string {
  return Buffer.from(JSON.stringify([k.createdAt.toISOString(), k.id])).toString('base64url');
}

const cursorError = (message: string) =>
  new AppError('KILN_ERR_VALIDATION', `query.cursor: ${message} (use nextCursor or the next URL of the previous page)`, {
    details: { issues: [{ field: 'query.cursor', message }] },
  });

const wellFormed = (s: string) => !s.includes('\0') && (s as string & { isWellFormed(): boolean }).isWellFormed();

/** The cursor's key, or undefined when none was given; one that does not decode is a 400 naming `cursor`. */
export function decodeCursor(cursor: string | undefined): Keyset | undefined {
  if (cursor === undefined) return undefined;
  const k = tryDecode(cursor);
  if (!k) throw cursorError('not a cursor of this list');
  return k;
}

/** `{ after }` for a repository's list from the request's cursor (`{}` without one). */
export function afterCursor(cursor: string | undefined): { after?: Keyset } {
  const k = decodeCursor(cursor);
  return k ? { after: k } : {};
}

/** The key a cursor names, or null when it is not one. */
export function tryDecode(cursor: string): Keyset | null {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) return null;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(value) || value.length !== 2) return null;
  const [at, id] = value as unknown[];
  if (typeof at !== 'string' || typeof id !== 'string' || id.length === 0 || id.length > 100 || !wellFormed(id)) return null;
  const createdAt = new Date(at);
  if (Number.isNaN(createdAt.getTime()) || createdAt.toISOString() !== at) return null;
  return { createdAt, id };
}

/** The relative URL of this request with `cursor` and `limit` set (every other query field kept). */
export function nextUrl(req: FastifyRequest, cursor: string, limit: number): string {
  const url = new URL(req.url, 'http://kiln.invalid');
  url.searchParams.set('cursor', cursor);
  url.searchParams.set('limit', String(limit));
  return `${url.pathname}${url.search}`;
}

/**
 * The page answer from `rows` read with `limit + 1` (the extra row only tells that a next page
 * exists); sets the `Link` header when there is one.
 */
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
  const nextCursor = more && last ? encodeCursor(last) : null;
  const next = nextCursor ? nextUrl(req, nextCursor, limit) : null;
  if (next) void reply.header('link', `<${next}>; rel="next"`);
  return { items: page.map(present), next, nextCursor };
}

/** The path of a created resource, for `Location`. */
export const locationOf = (path: string, id: string): string => `${path}/${encodeURIComponent(id)}`;
