import type { QuboSample } from '@kiln/client';
import { type Command, str } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { print, printJson, table } from '../output.js';
import { numberOf } from '../parse.js';

export const quboSampleCommands: Command[] = [
  {
    words: ['qubo', 'samples'],
    args: 'JOB',
    positionals: 1,
    summary: "A qubo.solve job's sample set: its distinct final states, best first",
    description:
      "dwave's SampleSet: with --num-reads N > 1 at solve time, the distinct final states of all replicas with energy and count (NUM); else the best state alone. Ising problems show spins (+ and -).",
    options: { limit: { type: 'string', value: 'N', describe: 'at most N samples (default all)' } },
    examples: ['kiln qubo samples 7d0c… --limit 10'],
    async run(ctx) {
      const [jobId] = ctx.positionals as [string];
      const limit = numberOf(str(ctx, 'limit'), 'limit', { int: true, min: 1 }) ?? Number.POSITIVE_INFINITY;
      const rows: QuboSample[] = [];
      for await (const s of ctx.client.quboSamples(jobId, Math.min(limit, 1000))) {
        rows.push(s);
        if (rows.length >= limit) break;
      }
      if (ctx.io.json) printJson(ctx.io, rows);
      else {
        const state = (s: QuboSample) => (s.spins ? s.spins.map((v) => (v > 0 ? '+' : '-')).join('') : s.assignment);
        print(ctx.io, table([['RANK', 'ENERGY', 'NUM', 'STATE'], ...rows.map((s) => [String(s.rank), String(s.energy), String(s.numOccurrences), state(s)])]));
      }
      return EXIT.ok;
    },
  },
];
