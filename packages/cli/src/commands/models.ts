import { fileSource } from '@kiln/client';
import { type Command, flag, str } from '../command.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { bar, bytes, print, printJson, StatusLine } from '../output.js';
import { required } from '../parse.js';

export const modelFileCommands: Command[] = [
  {
    words: ['models', 'download'],
    args: 'ID',
    positionals: 1,
    summary: 'Write a model to a file: safetensors weights, or its JSON config',
    description:
      'The safetensors file holds every tensor (F32) under its Mamba4Rec name, and the JSON config (architecture, hyper-parameters, item vocabulary, maxLen) in __metadata__["kiln.config"]; --config writes that config alone.',
    options: {
      out: { type: 'string', short: 'o', value: 'FILE', describe: 'where to write (- for standard output)' },
      config: { type: 'boolean', describe: 'the JSON config instead of the weights' },
    },
    examples: ['kiln models download 3f2a… --out cycles.safetensors', 'kiln models download 3f2a… --config --out cycles.json'],
    async run(ctx) {
      const [id] = ctx.positionals as [string];
      const out = str(ctx, 'out');
      if (!out) throw new UsageError('--out is required (a file, or - for standard output)');
      const part = flag(ctx, 'config') ? 'config' : 'weights';
      // Check the model first, so a wrong id writes no file.
      const model = await ctx.client.getModel(id);
      const written = await ctx.client.downloadModel(id, out === '-' ? ctx.io.out : out, { part });
      if (out !== '-') {
        if (ctx.io.json) printJson(ctx.io, { id, out, part, bytes: written });
        else print(ctx.io, `wrote ${model.name} v${model.version} ${part} (${bytes(written)}) to ${out}`);
      }
      return EXIT.ok;
    },
  },
  {
    words: ['models', 'upload'],
    args: 'FILE',
    positionals: 1,
    summary: 'Store a Mamba4Rec model trained elsewhere (safetensors) for a dataset',
    description:
      'FILE is a safetensors file as `models download` writes it: the tensors the config implies (F32) and the JSON config in __metadata__["kiln.config"]. Its item vocabulary must be the dataset\'s items (any order). The stored model scores like a trained one: kiln score --model ID.',
    options: {
      dataset: { type: 'string', value: 'ID', describe: 'the dataset the model maps to (required)' },
      name: { type: 'string', value: 'NAME', describe: 'the model name (default: the one in the config)' },
    },
    examples: ['kiln models upload cycles.safetensors --dataset 9b1e…'],
    async run(ctx) {
      const [file] = ctx.positionals as [string];
      const datasetId = required(str(ctx, 'dataset'), 'dataset');
      const name = str(ctx, 'name');
      const status = new StatusLine(ctx.io);
      const m = await ctx.client.uploadModel(
        await fileSource(file),
        { datasetId, ...(name ? { name } : {}) },
        { onProgress: (sent, total) => status.update(`uploading ${bar(total ? sent / total : 0)} ${bytes(sent)}/${total ? bytes(total) : '?'}`) },
      );
      status.clear();
      if (ctx.io.json) printJson(ctx.io, m);
      else print(ctx.io, `model ${m.id}  ${m.name} v${m.version} (dataset ${m.datasetId}, ${m.parameters} parameters): kiln score --model ${m.id}`);
      return EXIT.ok;
    },
  },
];
