import { type DatasetFormat, fileSource } from '@kiln/client';
import { type Command, str } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { bar, bytes, print, printJson, StatusLine, table } from '../output.js';
import { pageOptions, printMore, readPages } from '../paging.js';
import { numberOf, oneOf, required } from '../parse.js';

const FORMATS = ['sasrec', 'seq', 'movielens', 'recbole', 'csv'] as const satisfies readonly DatasetFormat[];

export const datasetCommands: Command[] = [
  {
    words: ['datasets', 'upload'],
    args: 'FILE',
    positionals: 1,
    summary: 'Upload an interaction log (user, item, time) as a dataset',
    description:
      'Streams FILE to the API, which parses it line by line and keeps users and items with at least --kcore interactions. Prints the dataset id to train on.',
    options: {
      format: {
        type: 'string',
        value: 'F',
        describe: `one of ${FORMATS.join(', ')} (sasrec: "user item" lines in time order; seq: "user item item ..." per line; movielens: ratings.dat)`,
      },
      name: { type: 'string', value: 'NAME', describe: 'the dataset name (default: the file name)' },
      kcore: { type: 'string', value: 'K', describe: 'drop users and items with fewer interactions, repeatedly (default 5; 0 keeps all)' },
    },
    examples: ['kiln datasets upload ml-1m.txt --format sasrec --name ml-1m'],
    async run(ctx) {
      const [file] = ctx.positionals as [string];
      const format = required(oneOf(str(ctx, 'format'), 'format', FORMATS), 'format');
      const kcore = numberOf(str(ctx, 'kcore'), 'kcore', { int: true, min: 0 });
      const name = str(ctx, 'name') ?? file.replace(/^.*\//, '');
      const source = await fileSource(file);
      const status = new StatusLine(ctx.io);
      const t0 = performance.now();
      const ds = await ctx.client.uploadDataset(
        source,
        { format, name, ...(kcore !== undefined ? { kcore } : {}) },
        {
          onProgress: (sent, total) => {
            const rate = sent / Math.max(0.001, (performance.now() - t0) / 1000);
            status.update(`uploading ${name} ${bar(total ? sent / total : 0)} ${bytes(sent)}/${total ? bytes(total) : '?'}  ${bytes(rate)}/s`);
          },
        },
      );
      status.clear();
      if (ctx.io.json) printJson(ctx.io, ds);
      else
        print(
          ctx.io,
          `dataset ${ds.id}  ${ds.name}: ${ds.users} users, ${ds.items} items, ${ds.interactions} interactions (${ds.droppedInteractions} dropped by ${ds.kcore}-core)`,
        );
      return EXIT.ok;
    },
  },
  {
    words: ['datasets', 'ls'],
    summary: 'List datasets, newest first',
    options: pageOptions(100),
    async run(ctx) {
      const { items, nextCursor } = await readPages(ctx, ctx.client.listDatasets, {}, 100);
      if (ctx.io.json) printJson(ctx.io, items);
      else
        print(
          ctx.io,
          table([
            ['ID', 'NAME', 'USERS', 'ITEMS', 'INTERACTIONS', 'CREATED'],
            ...items.map((d) => [d.id, d.name, String(d.users), String(d.items), String(d.interactions), d.createdAt]),
          ]),
        );
      printMore(ctx, 'datasets ls', nextCursor);
      return EXIT.ok;
    },
  },
  {
    words: ['datasets', 'rm'],
    args: 'ID',
    positionals: 1,
    summary: 'Delete a dataset',
    description: 'Refused (exit 3, KILN_ERR_IN_USE) while a model trained on it or an unfinished training job uses it: the error names them.',
    async run(ctx) {
      const id = ctx.positionals[0] as string;
      await ctx.client.deleteDataset(id);
      if (ctx.io.json) printJson(ctx.io, { id, deleted: true });
      else print(ctx.io, `dataset ${id} deleted`);
      return EXIT.ok;
    },
  },
  {
    words: ['datasets', 'get'],
    args: 'ID',
    positionals: 1,
    summary: 'One dataset with its stats',
    async run(ctx) {
      const d = await ctx.client.getDataset(ctx.positionals[0] as string);
      if (ctx.io.json) printJson(ctx.io, d);
      else print(ctx.io, `${d.id}  ${d.name} (${d.format}, ${d.kcore}-core): ${d.users} users, ${d.items} items, ${d.interactions} interactions`);
      return EXIT.ok;
    },
  },
];
