import { type Command, list, str } from '../command.js';
import { pageOptions, printMore, readPages } from '../paging.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { print, printJson, table } from '../output.js';

const SCOPES = ['read', 'submit', 'admin'] as const;

export const keyCommands: Command[] = [
  {
    words: ['keys', 'create'],
    summary: 'Create an API key (admin); its secret is printed once',
    description: 'Scopes: read (every GET), submit (uploads, jobs, cancel, retry; implies read), admin (queues and keys; implies all).',
    options: {
      name: { type: 'string', value: 'NAME', describe: 'what the key is for' },
      scope: { type: 'string', multiple: true, value: 'SCOPE', describe: `${SCOPES.join(', ')} (repeatable; default read)` },
    },
    examples: ['kiln keys create --name nightly-pipeline --scope submit'],
    async run(ctx) {
      const name = str(ctx, 'name');
      if (!name) throw new UsageError('--name is required');
      const scopes = list(ctx, 'scope');
      for (const s of scopes) if (!(SCOPES as readonly string[]).includes(s)) throw new UsageError(`--scope: must be one of ${SCOPES.join(', ')}, got "${s}"`);
      const created = await ctx.client.createKey(name, (scopes.length ? scopes : ['read']) as Array<(typeof SCOPES)[number]>);
      if (ctx.io.json) printJson(ctx.io, created);
      else {
        print(ctx.io, created.key);
        ctx.io.err.write(`key ${created.id} (${created.name}, ${created.scopes.join(', ')}): store it now, it is not shown again\n`);
      }
      return EXIT.ok;
    },
  },
  {
    words: ['keys', 'ls'],
    summary: 'API keys (admin), never their secrets',
    options: pageOptions(100),
    async run(ctx) {
      const { items, nextCursor } = await readPages(ctx, ctx.client.listKeys, {}, 100);
      if (ctx.io.json) printJson(ctx.io, items);
      else
        print(
          ctx.io,
          table([
            ['ID', 'NAME', 'PREFIX', 'SCOPES', 'LAST USED', 'REVOKED'],
            ...items.map((k) => [k.id, k.name, `${k.prefix}…`, k.scopes.join(','), k.lastUsedAt ?? '-', k.revokedAt ?? '-']),
          ]),
        );
      printMore(ctx, 'keys ls', nextCursor);
      return EXIT.ok;
    },
  },
  {
    words: ['keys', 'revoke'],
    args: 'ID',
    positionals: 1,
    summary: 'Revoke an API key (admin)',
    async run(ctx) {
      const r = await ctx.client.revokeKey(ctx.positionals[0] as string);
      if (ctx.io.json) printJson(ctx.io, r);
      else print(ctx.io, `${r.id} (${r.name}) revoked`);
      return EXIT.ok;
    },
  },
];
