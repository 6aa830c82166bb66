import { fileSource, type JobOf, type JobRequest, type QuboFormat, type QuboProblemsCreated } from '@kiln/client';
import { type Command, callbackOptions, str } from '../command.js';
import { pageOptions, printMore, readPages } from '../paging.js';
import { EXIT } from '../exit-codes.js';
import { follow, outcome } from '../follow.js';
import { note, print, printJson, seconds, table } from '../output.js';
import { numberOf, oneOf, required } from '../parse.js';

const FORMATS = ['gset', 'bqp', 'json', 'ising', 'sparse'] as const satisfies readonly QuboFormat[];
const MODES = ['auto', 'sa', 'loihi', 'tabu', 'multispin', 'memetic'] as const;

const uploadOptions = {
  format: {
    type: 'string',
    value: 'F',
    describe: 'gset (a graph), bqp (OR-Library, several problems), json ({n, terms, offset}), ising ({h, J} over spins ±1) or sparse (Biq Mac)',
  },
  kind: { type: 'string', value: 'maxcut|mis', describe: 'for graph files: what to build from the graph (default maxcut)' },
  name: { type: 'string', value: 'NAME', describe: 'the problem name (default: the file name)' },
} as const;

async function uploadProblems(ctx: Parameters<Command['run']>[0]): Promise<QuboProblemsCreated> {
  const [file] = ctx.positionals as [string];
  const format = required(oneOf(str(ctx, 'format'), 'format', FORMATS), 'format');
  const kind = oneOf(str(ctx, 'kind'), 'kind', ['maxcut', 'mis'] as const);
  const name = str(ctx, 'name') ?? file.replace(/^.*\//, '').replace(/\.[^.]*$/, '');
  return ctx.client.uploadQuboProblems(await fileSource(file), { format, name, ...(kind ? { kind } : {}) });
}

/** What a solution's value means, per problem kind. */
const valueName = (kind: string) => (kind === 'maxcut' ? 'cut' : kind === 'mis' ? 'independent set' : 'objective');

export const quboCommands: Command[] = [
  {
    words: ['qubo', 'solve'],
    args: 'FILE',
    positionals: 1,
    summary: 'Upload a QUBO or graph file, solve it, and print the best value found',
    description:
      'Uploads FILE, queues one qubo.solve job per problem in it (a bqp file holds several), waits, and prints value, energy and time to best. Exits 0 when every job completed.',
    options: {
      ...uploadOptions,
      mode: { type: 'string', value: 'M', describe: `the annealer: ${MODES.join(', ')} (default auto)` },
      time: { type: 'string', value: 'SECONDS', describe: 'time budget per problem (default 10)' },
      seed: { type: 'string', value: 'N', describe: 'random seed (default 1)' },
      target: { type: 'string', value: 'ENERGY', describe: 'stop as soon as the energy is ≤ this (a negative value: --target=-564)' },
      'num-reads': { type: 'string', value: 'N', describe: 'keep up to N distinct final states (a sample set: kiln qubo samples JOB; default 1)' },
      'callback-url': { type: 'string', value: 'URL', describe: "POST each job's final state there, signed (secret: kiln webhooks callback-secret)" },
    },
    examples: [
      'kiln qubo solve G11.txt --format gset --kind maxcut --time 2',
      'kiln qubo solve bqp50.txt --format bqp --json',
      'kiln qubo solve mis.txt --format gset --kind mis --mode sa',
    ],
    async run(ctx) {
      const mode = oneOf(str(ctx, 'mode'), 'mode', MODES);
      const time = numberOf(str(ctx, 'time'), 'time', { min: 0.001, max: 3600 });
      const seed = numberOf(str(ctx, 'seed'), 'seed', { int: true, min: 0 });
      const target = numberOf(str(ctx, 'target'), 'target');
      const numReads = numberOf(str(ctx, 'num-reads'), 'num-reads', { int: true, min: 1, max: 1000 });
      const uploaded = await uploadProblems(ctx);
      const params: NonNullable<JobRequest<'qubo.solve'>['params']> = {
        ...(mode ? { mode } : {}),
        ...(time !== undefined ? { timeLimitMs: Math.max(1, Math.round(time * 1000)) } : {}),
        ...(seed !== undefined ? { seed } : {}),
        ...(numReads !== undefined ? { numReads } : {}),
        ...(target !== undefined ? { target } : {}),
      };
      const results: Array<Record<string, unknown>> = [];
      let code: number = EXIT.ok;
      for (const problem of uploaded.problems) {
        const submitted = await ctx.client.submit({ kind: 'qubo.solve', payload: { problemId: problem.id, params }, ...callbackOptions(ctx) });
        note(ctx.io, `${problem.name}: ${problem.n} variables, ${problem.terms} terms; solving (job ${submitted.id})`);
        const job = (await follow(ctx.client, submitted.id, ctx.io, ctx.signal)) as JobOf<'qubo.solve'>;
        const r = job.result;
        const row = {
          name: problem.name,
          problemId: problem.id,
          jobId: job.id,
          state: job.state,
          kind: problem.kind,
          n: problem.n,
          ...(r ? { value: r.value, energy: r.energy, feasible: r.feasible, timeToBestMs: r.timeToBestMs, elapsedMs: r.elapsedMs, mode: r.mode } : {}),
          ...(job.error ? { error: job.error } : {}),
        };
        results.push(row);
        if (outcome(job, ctx.io) !== EXIT.ok) code = EXIT.jobFailed;
        else if (!ctx.io.json && r) {
          print(
            ctx.io,
            `${problem.name}: ${valueName(problem.kind)} ${r.value} (energy ${r.energy}${r.feasible ? '' : ', infeasible'}), best after ${seconds(r.timeToBestMs)} of ${seconds(r.elapsedMs)}, mode ${r.mode}`,
          );
        }
      }
      if (ctx.io.json) printJson(ctx.io, results.length === 1 ? results[0] : { results });
      return code;
    },
  },
  {
    words: ['qubo', 'upload'],
    args: 'FILE',
    positionals: 1,
    summary: 'Upload a QUBO or graph file (to solve later by id)',
    options: uploadOptions,
    async run(ctx) {
      const up = await uploadProblems(ctx);
      if (ctx.io.json) printJson(ctx.io, up);
      else print(ctx.io, table([['ID', 'NAME', 'KIND', 'N', 'TERMS'], ...up.problems.map((p) => [p.id, p.name, p.kind, String(p.n), String(p.terms)])]));
      return EXIT.ok;
    },
  },
  {
    words: ['qubo', 'ls'],
    summary: 'Uploaded QUBO problems, newest first',
    options: pageOptions(100),
    async run(ctx) {
      const { items, nextCursor } = await readPages(ctx, ctx.client.listQuboProblems, {}, 100);
      if (ctx.io.json) printJson(ctx.io, items);
      else
        print(
          ctx.io,
          table([['ID', 'NAME', 'KIND', 'N', 'TERMS', 'CREATED'], ...items.map((p) => [p.id, p.name, p.kind, String(p.n), String(p.numTerms), p.createdAt])]),
        );
      printMore(ctx, 'qubo ls', nextCursor);
      return EXIT.ok;
    },
  },
  {
    words: ['qubo', 'rm'],
    args: 'ID',
    positionals: 1,
    summary: 'Delete an uploaded QUBO problem',
    description: 'Refused (exit 3, KILN_ERR_IN_USE) while an unfinished qubo.solve job uses it: the error names them.',
    async run(ctx) {
      const id = ctx.positionals[0] as string;
      await ctx.client.deleteQuboProblem(id);
      if (ctx.io.json) printJson(ctx.io, { id, deleted: true });
      else print(ctx.io, `problem ${id} deleted`);
      return EXIT.ok;
    },
  },
];
