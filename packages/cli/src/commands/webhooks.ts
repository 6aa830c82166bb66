import type { JobKind, JobState } from '@kiln/client';
import { type Command, list, str } from '../command.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { print, printJson, table } from '../output.js';

export const webhookCommands: Command[] = [
  {
    words: ['webhooks', 'create'],
    args: 'URL',
    positionals: 1,
    summary: "POST this key's jobs' state changes to URL, signed; the secret is printed once",
    description:
      'Each delivery carries `Kiln-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">` (check it with @kiln/client verifyWebhookSignature); a delivery not answered 2xx is retried with backoff, 6 attempts.',
    options: {
      kind: { type: 'string', multiple: true, value: 'KIND', describe: 'job kinds to send (repeatable; default every kind)' },
      state: { type: 'string', multiple: true, value: 'STATE', describe: 'job states to send (repeatable; default completed, failed, cancelled)' },
    },
    examples: ['kiln webhooks create https://example.com/kiln --kind ssm.train --state completed --state failed'],
    async run(ctx) {
      const kinds = list(ctx, 'kind') as JobKind[];
      const states = list(ctx, 'state') as JobState[];
      const made = await ctx.client.createWebhook({
        url: ctx.positionals[0] as string,
        ...(kinds.length ? { kinds } : {}),
        ...(states.length ? { states } : {}),
      });
      if (ctx.io.json) printJson(ctx.io, made);
      else {
        print(ctx.io, made.secret);
        ctx.io.err.write(`webhook ${made.id} → ${made.url}: store the secret now, it is not shown again\n`);
      }
      return EXIT.ok;
    },
  },
  {
    words: ['webhooks', 'ls'],
    summary: "This key's webhooks",
    async run(ctx) {
      const items = await ctx.client.listWebhooks();
      if (ctx.io.json) printJson(ctx.io, items);
      else
        print(
          ctx.io,
          table([
            ['ID', 'URL', 'KINDS', 'STATES', 'CREATED'],
            ...items.map((w) => [w.id, w.url, w.kinds.join(',') || 'all', w.states.join(',') || 'final', w.createdAt]),
          ]),
        );
      return EXIT.ok;
    },
  },
  {
    words: ['webhooks', 'rm'],
    args: 'ID',
    positionals: 1,
    summary: 'Delete a webhook and its delivery log',
    async run(ctx) {
      await ctx.client.deleteWebhook(ctx.positionals[0] as string);
      if (!ctx.io.json) print(ctx.io, `${ctx.positionals[0]} deleted`);
      return EXIT.ok;
    },
  },
  {
    words: ['webhooks', 'deliveries'],
    args: 'ID',
    positionals: 1,
    summary: "A webhook's delivery attempts, newest first",
    options: { limit: { type: 'string', value: 'N', describe: 'attempts to show (default 50)' } },
    async run(ctx) {
      const limit = str(ctx, 'limit');
      if (limit !== undefined && !/^\d+$/.test(limit)) throw new UsageError('--limit: a whole number');
      const page = await ctx.client.webhookDeliveries(ctx.positionals[0] as string, limit ? { limit: Number(limit) } : {});
      if (ctx.io.json) printJson(ctx.io, page);
      else
        print(
          ctx.io,
          table([
            ['AT', 'EVENT', 'JOB', 'ATTEMPT', 'STATUS', 'MS', 'ERROR'],
            ...page.items.map((d) => [
              d.createdAt,
              d.event,
              d.jobId,
              String(d.attempt),
              d.status === null ? '-' : String(d.status),
              d.durationMs.toFixed(0),
              d.error ?? '',
            ]),
          ]),
        );
      return EXIT.ok;
    },
  },
  {
    words: ['webhooks', 'callback-secret'],
    summary: "Make or replace the secret this key's job callbacks (--callback-url) are signed with; printed once",
    async run(ctx) {
      const made = await ctx.client.rotateCallbackSecret();
      if (ctx.io.json) printJson(ctx.io, made);
      else print(ctx.io, made.secret);
      return EXIT.ok;
    },
  },
];
