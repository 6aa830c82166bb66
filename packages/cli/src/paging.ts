import type { Page } from '@kiln/client';
import { type CommandContext, flag, type OptionSpec, str } from './command.js';
import { print } from './output.js';
import { numberOf } from './parse.js';

/** `--limit`, `--cursor` and `--all` of a list command. */
export const pageOptions = (defaultLimit: number): Record<string, OptionSpec> => ({
  limit: { type: 'string', value: 'N', describe: `items per page (default ${defaultLimit}, at most 500)` },
  cursor: { type: 'string', value: 'C', describe: 'start at this page (printed under a page that has a next one)' },
  all: { type: 'boolean', describe: 'every page, not only the first' },
});

/**
 * One page of a list (or, with `--all`, every item: one request per page), from the command's
 * `--limit`, `--cursor` and `--all`; `nextCursor` is null when there is no next page.
 */
export async function readPages<F extends (query: never) => Promise<Page<unknown>>>(
  ctx: CommandContext,
  list: F,
  query: Omit<NonNullable<Parameters<F>[0]>, 'limit' | 'cursor'>,
  defaultLimit: number,
): Promise<{ items: Awaited<ReturnType<F>>['items']; nextCursor: string | null }> {
  const limit = numberOf(str(ctx, 'limit'), 'limit', { int: true, min: 1, max: 500 }) ?? defaultLimit;
  const cursor = str(ctx, 'cursor');
  const q = { ...query, limit, ...(cursor ? { cursor } : {}) };
  const read = list as unknown as (query: typeof q) => Promise<Page<unknown>>;
  if (flag(ctx, 'all')) {
    const items: unknown[] = [];
    for await (const item of ctx.client.all(read, q)) items.push(item);
    return { items, nextCursor: null };
  }
  const page = await read(q);
  return { items: page.items, nextCursor: page.nextCursor };
}

/** Says how to get the next page: under the table, or on stderr beside JSON (stdout stays the items). */
export function printMore(ctx: CommandContext, command: string, nextCursor: string | null): void {
  if (!nextCursor) return;
  const line = `more: kiln ${command} --cursor ${nextCursor} (or --all)`;
  if (ctx.io.json) ctx.io.err.write(`${line}\n`);
  else print(ctx.io, line);
}
