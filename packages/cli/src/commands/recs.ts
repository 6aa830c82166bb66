import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { type Command, str } from '../command.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { print, printJson, StatusLine } from '../output.js';
import { oneOf } from '../parse.js';

const csvCell = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

export const recsCommands: Command[] = [
  {
    words: ['recs', 'export'],
    args: 'JOB',
    positionals: 1,
    summary: "Write a scoring job's recommendations to a file",
    description: 'CSV: one row per (user, rank) with header user,rank,item,score. JSONL: one line per user, {"user","items":[{item,score,rank}]}.',
    options: {
      out: { type: 'string', short: 'o', value: 'FILE', describe: 'where to write (- for standard output)' },
      format: { type: 'string', value: 'csv|jsonl', describe: 'the file format (default: from the file name, else csv)' },
    },
    examples: ['kiln recs export 7d0c… --out recs.csv'],
    async run(ctx) {
      const [jobId] = ctx.positionals as [string];
      const out = str(ctx, 'out');
      if (!out) throw new UsageError('--out is required (a file, or - for standard output)');
      const format = oneOf(str(ctx, 'format'), 'format', ['csv', 'jsonl'] as const) ?? (out.endsWith('.jsonl') ? 'jsonl' : 'csv');
      // Check the job first, so a wrong id writes no file.
      const job = await ctx.client.getJob(jobId);
      if (job.kind !== 'ssm.score') throw new UsageError(`job ${jobId} is ${job.kind}, not ssm.score`);
      if (job.state !== 'completed') throw new UsageError(`job ${jobId} is ${job.state}: export it once it has completed`);
      const stream = out === '-' ? ctx.io.out : createWriteStream(out);
      const write = async (line: string) => {
        if (!stream.write(line)) await once(stream, 'drain');
      };
      const status = new StatusLine(ctx.io);
      if (format === 'csv') await write('user,rank,item,score\n');
      let users = 0;
      let rows = 0;
      for await (const rec of ctx.client.allRecommendations(jobId, 2000)) {
        users++;
        if (format === 'csv') {
          for (const r of rec.items) {
            rows++;
            await write(`${csvCell(rec.user)},${r.rank},${csvCell(r.item)},${r.score}\n`);
          }
        } else {
          rows += rec.items.length;
          await write(`${JSON.stringify(rec)}\n`);
        }
        if (users % 2000 === 0) status.update(`exported ${users} users`);
      }
      status.clear();
      if (stream !== ctx.io.out) {
        stream.end();
        await once(stream, 'finish');
        if (ctx.io.json) printJson(ctx.io, { jobId, out, format, users, rows });
        else print(ctx.io, `wrote ${users} users (${rows} rows) to ${out}`);
      }
      return EXIT.ok;
    },
  },
  {
    words: ['recs', 'get'],
    args: 'JOB',
    positionals: 1,
    summary: "One user's recommendations from a scoring job",
    options: { user: { type: 'string', value: 'USER', describe: "the dataset's user id" } },
    async run(ctx) {
      const user = str(ctx, 'user');
      if (!user) throw new UsageError('--user is required');
      const [rec] = await ctx.client.recommendations(ctx.positionals[0] as string, { user });
      if (!rec) throw new UsageError(`no recommendations for user ${user} in job ${ctx.positionals[0]}`);
      if (ctx.io.json) printJson(ctx.io, rec);
      else for (const r of rec.items) print(ctx.io, `${r.rank}\t${r.item}\t${r.score.toFixed(4)}`);
      return EXIT.ok;
    },
  },
];
