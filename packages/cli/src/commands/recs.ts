import { type Command, flag, list, str } from '../command.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { note, print, printJson, StatusLine } from '../output.js';
import { numberOf, oneOf, required } from '../parse.js';

export const recsCommands: Command[] = [
  {
    words: ['recs', 'export'],
    args: 'JOB',
    positionals: 1,
    summary: "Write a scoring job's recommendations to a file",
    description:
      'Streamed by the API in constant memory. CSV: one row per (user, rank) with header user,rank,item,score. JSONL: one line per user, {"user","items":[{item,score,rank}]}. Parquet: the CSV\'s columns, row groups of 50,000 rows.',
    options: {
      out: { type: 'string', short: 'o', value: 'FILE', describe: 'where to write (- for standard output)' },
      format: { type: 'string', value: 'csv|jsonl|parquet', describe: 'the file format (default: from the file name, else csv)' },
    },
    examples: ['kiln recs export 7d0c… --out recs.csv', 'kiln recs export 7d0c… --format parquet --out recs.parquet'],
    async run(ctx) {
      const [jobId] = ctx.positionals as [string];
      const out = str(ctx, 'out');
      if (!out) throw new UsageError('--out is required (a file, or - for standard output)');
      const format =
        oneOf(str(ctx, 'format'), 'format', ['csv', 'jsonl', 'parquet'] as const) ??
        (out.endsWith('.jsonl') ? 'jsonl' : out.endsWith('.parquet') ? 'parquet' : 'csv');
      // Check the job first, so a wrong id writes no file.
      const job = await ctx.client.getJob(jobId);
      if (job.kind !== 'ssm.score') throw new UsageError(`job ${jobId} is ${job.kind}, not ssm.score`);
      if (job.state !== 'completed') throw new UsageError(`job ${jobId} is ${job.state}: export it once it has completed`);
      const status = new StatusLine(ctx.io);
      status.update(`exporting ${format}`);
      const bytes = await ctx.client.exportRecommendations(jobId, format, out === '-' ? ctx.io.out : out);
      status.clear();
      if (out !== '-') {
        const users = job.kind === 'ssm.score' && job.result ? job.result.users : undefined;
        if (ctx.io.json) printJson(ctx.io, { jobId, out, format, users, bytes });
        else print(ctx.io, `wrote ${users ?? 'all'} users (${bytes} bytes) to ${out}`);
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
  {
    words: ['recs', 'for'],
    args: 'USER',
    positionals: 1,
    summary: "A user's online top-K from a model's recurrent state (--event: add events first)",
    description:
      "With --event (repeatable, oldest first: the dataset's item ids) the events are applied to the user's stored state in one step each and the updated top-K is printed; without, the current top-K is read. The state's version and event count are printed on standard error (in the JSON with --json).",
    options: {
      model: { type: 'string', value: 'ID', describe: 'the model' },
      event: { type: 'string', multiple: true, value: 'ITEM', describe: 'an item the user just interacted with (repeat for several)' },
      k: { type: 'string', short: 'k', value: 'N', describe: 'how many items (1..1000, default 10)' },
      'include-seen': { type: 'boolean', describe: "keep items already in the user's history" },
    },
    examples: ['kiln recs for 42 --model 7d0c…', 'kiln recs for 42 --model 7d0c… --event 1193 --event 661 -k 5'],
    async run(ctx) {
      const [user] = ctx.positionals as [string];
      const modelId = required(str(ctx, 'model'), 'model');
      const k = numberOf(str(ctx, 'k'), 'k', { int: true, min: 1, max: 1000 });
      const query = { ...(k !== undefined ? { k } : {}), ...(flag(ctx, 'include-seen') ? { excludeSeen: false } : {}) };
      const events = list(ctx, 'event');
      const recs =
        events.length > 0 ? await ctx.client.postUserEvents(modelId, user, events, query) : await ctx.client.userRecommendations(modelId, user, query);
      if (ctx.io.json) printJson(ctx.io, recs);
      else {
        note(ctx.io, `user ${recs.user}: ${recs.events} events, state version ${recs.version}`);
        for (const [i, r] of recs.items.entries()) print(ctx.io, `${i + 1}\t${r.item}\t${r.score.toFixed(4)}`);
      }
      return EXIT.ok;
    },
  },
];
