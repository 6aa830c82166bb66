import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { AppError } from '@kiln/contracts';
import { getModelFile, listDatasetItems, type ModelSummary, upsertModelForJob } from '@kiln/db';
import { MAMBA4REC_DEFAULTS, type Mamba4RecConfig, resolveMamba4RecConfig } from '@kiln/ssm/config';
import {
  fromSafetensors,
  type PortableModelConfig,
  portableConfig,
  readSafetensorsHeader,
  SAFETENSORS_CONFIG_KEY,
  SafetensorsError,
  toSafetensors,
} from '@kiln/ssm/safetensors';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiContext } from '../context.js';
import { limitedChunks } from '../read-body.js';
import { errorResponses, IdParams, iso } from '../schemas/common.js';
import { Model } from '../schemas/resources.js';
import { UploadBody, uploadContentTypes } from '../schemas/upload.js';
import { streamBodyParser } from '../stream-body.js';

const int = () => z.number().int();

export const ModelConfigFile = z
  .object({
    format: z.literal('kiln.model'),
    version: z.literal(1),
    architecture: z.literal('Mamba4Rec'),
    config: z.object({
      nItems: int(),
      hiddenSize: int(),
      numLayers: int(),
      dState: int(),
      dConv: int(),
      expand: int(),
      dropout: z.number(),
      maxLen: int(),
    }),
    items: z.array(z.string()).describe('Item vocabulary: row r ≥ 1 of item_embedding is items[r - 1] (row 0 is padding).'),
    tensors: z.array(z.object({ name: z.string(), shape: z.array(int()) })).describe('Every tensor, float32 (F32), in serialisation order.'),
    maxLen: int().describe('Scoring reads at most the last maxLen items of a history.'),
    source: z.record(z.string(), z.unknown()).optional(),
  })
  .meta({ id: 'ModelConfigFile' });

const invalid = (field: string, message: string, extra: Record<string, unknown> = {}) =>
  new AppError('KILN_ERR_VALIDATION', `${field}: ${message}`, { details: { issues: [{ field, message }], ...extra } });

const configKeys = Object.keys({ nItems: 0, ...MAMBA4REC_DEFAULTS }) as (keyof Mamba4RecConfig)[];

/** The portable config carried in an uploaded file's `__metadata__`, checked. */
function configOf(metadata: Record<string, string>): PortableModelConfig {
  const raw = metadata[SAFETENSORS_CONFIG_KEY];
  if (typeof raw !== 'string') {
    throw invalid('body.__metadata__', `no "${SAFETENSORS_CONFIG_KEY}" entry: put the JSON model config (GET /v1/models/{id}/download?part=config) there`);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw invalid(`body.__metadata__.${SAFETENSORS_CONFIG_KEY}`, 'not JSON');
  }
  const parsed = ModelConfigFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalid(`body.__metadata__.${SAFETENSORS_CONFIG_KEY}.${issue?.path.join('.') ?? ''}`, issue?.message ?? 'invalid');
  }
  return parsed.data as PortableModelConfig;
}

export const modelFileRoutes: FastifyPluginAsyncZod<{ ctx: ApiContext }> = async (app, { ctx }) => {
  app.get(
    '/v1/models/:id/download',
    {
      schema: {
        tags: ['ssm'],
        operationId: 'downloadModel',
        summary: "A model's weights as safetensors, or its JSON config",
        description:
          'Default (`part=weights`): a safetensors file (application/octet-stream, attachment): every tensor F32 under its Mamba4Rec name, and `__metadata__["kiln.config"]` holding the JSON config. ' +
          '`part=config`: that JSON config alone: architecture, hyper-parameters, the item vocabulary (row r of item_embedding is items[r-1]), tensor names and shapes, maxLen.',
        params: IdParams,
        querystring: z.object({ part: z.enum(['weights', 'config']).default('weights') }),
        response: {
          200: {
            description: '`part=weights`: the safetensors file; `part=config`: its JSON config.',
            content: {
              'application/octet-stream': { schema: z.string().meta({ format: 'binary' }) },
              'application/json': { schema: ModelConfigFile },
            },
          },
          ...errorResponses(400, 404),
        },
      },
    },
    async (req, reply) => {
      const m = await getModelFile(ctx.db, req.params.id);
      if (!m) throw new AppError('KILN_ERR_NOT_FOUND', `no model ${req.params.id}`);
      const items = await listDatasetItems(ctx.db, m.datasetId);
      if (!items) throw new AppError('KILN_ERR_NOT_FOUND', `the dataset of model ${m.id} is gone`);
      const config = portableConfig(m.weights, items, {
        modelId: m.id,
        name: m.name,
        version: m.version,
        datasetId: m.datasetId,
        backend: m.backend,
        bestEpoch: m.bestEpoch,
        metrics: m.metrics,
      });
      if (req.query.part === 'config') return config;
      const file = toSafetensors(m.weights, config);
      const filename = `${m.name.replace(/[^\w.-]+/g, '_')}-v${m.version}.safetensors`;
      reply.header('content-type', 'application/octet-stream').header('content-disposition', `attachment; filename="${filename}"`);
      return reply.send(Buffer.from(file.buffer, file.byteOffset, file.byteLength) as never);
    },
  );

  await app.register(async (scope) => {
    streamBodyParser(scope);
    scope.withTypeProvider<import('fastify-type-provider-zod').ZodTypeProvider>().post(
      '/v1/models',
      {
        schema: {
          tags: ['ssm'],
          operationId: 'uploadModel',
          summary: 'Store a Mamba4Rec model trained elsewhere (a safetensors file)',
          description:
            'The body is a safetensors file as a download gives it: the tensors of Mamba4Rec (F32, the names and shapes the config implies, nothing else, all finite) and `__metadata__["kiln.config"]` with the JSON config (GET /v1/models/{id}/download?part=config: `architecture`, `config`, `items`, ...). ' +
            "The model is stored for `datasetId`, whose users it scores: its item vocabulary must hold exactly the dataset's items (in any order: the embedding rows are reordered to the dataset's). " +
            'A tensor that does not fit is refused with 400 KILN_ERR_VALIDATION naming it (`details.tensor`). The model is then scored like a trained one (`ssm.score` with its id).',
          consumes: uploadContentTypes,
          querystring: z.object({
            datasetId: z.uuid().describe('The dataset the model maps to (its users are scored, its item ids are the vocabulary).'),
            name: z
              .string()
              .min(1)
              .max(200)
              .optional()
              .describe('Model name (default: the name in the config, else "uploaded"); the version is the next of the name.'),
          }),
          body: UploadBody,
          response: { 201: Model, ...errorResponses(400, 404, 413) },
        },
      },
      async (req, reply) => {
        const { datasetId } = req.query;
        const parts: Uint8Array[] = [];
        for await (const chunk of limitedChunks(req.body as unknown as Readable, ctx.limits.uploadBytes)) parts.push(chunk);
        const file = Buffer.concat(parts);
        let stored: ModelSummary;
        try {
          const portable = configOf(readSafetensorsHeader(file).metadata);
          const datasetItems = await listDatasetItems(ctx.db, datasetId);
          if (!datasetItems) throw new AppError('KILN_ERR_NOT_FOUND', `no dataset ${datasetId}`);
          let config: Mamba4RecConfig;
          try {
            config = resolveMamba4RecConfig(Object.fromEntries(configKeys.map((k) => [k, portable.config[k]])) as unknown as Mamba4RecConfig);
          } catch (error) {
            throw invalid(`body.__metadata__.${SAFETENSORS_CONFIG_KEY}.config`, (error as Error).message);
          }
          if (portable.items.length !== config.nItems) {
            throw invalid('body.__metadata__', `items lists ${portable.items.length} items, config.nItems is ${config.nItems}`);
          }
          // Row order: the dataset's item d takes the model's row of the same external id.
          const rowOf = new Map(portable.items.map((item, r) => [item, r]));
          if (rowOf.size !== portable.items.length) throw invalid('body.__metadata__', 'items has duplicates');
          const missing = datasetItems.filter((item) => !rowOf.has(item));
          if (missing.length > 0 || datasetItems.length !== portable.items.length) {
            throw invalid(
              'body.__metadata__',
              `the model's ${portable.items.length} items are not the dataset's ${datasetItems.length} items` +
                (missing.length > 0 ? ` (the dataset's ${missing.slice(0, 5).join(', ')} missing)` : ''),
              { missing: missing.slice(0, 100) },
            );
          }
          const order = Int32Array.from(datasetItems, (item) => rowOf.get(item) as number);
          const identity = order.every((r, d) => r === d);
          const weights = fromSafetensors(file, config, identity ? undefined : order);
          const parameters = portable.tensors.reduce((n, t) => n + t.shape.reduce((a, b) => a * b, 1), 0);
          const sourceName = typeof portable.source?.name === 'string' ? portable.source.name : undefined;
          stored = await upsertModelForJob(ctx.db, {
            // An uploaded model has no training job: a fresh id keeps the column unique.
            jobId: randomUUID(),
            name: req.query.name ?? sourceName ?? 'uploaded',
            datasetId,
            config,
            weights,
            metrics: { valid: {}, test: {} },
            epochs: [],
            backend: 'upload',
            parameters,
            bestEpoch: 0,
          });
        } catch (error) {
          if (error instanceof SafetensorsError) {
            throw new AppError('KILN_ERR_VALIDATION', `body: ${error.message}`, {
              details: {
                issues: [{ field: error.tensor ? `body.${error.tensor}` : 'body', message: error.message }],
                ...(error.tensor ? { tensor: error.tensor } : {}),
              },
            });
          }
          throw error;
        }
        reply.header('location', `/v1/models/${stored.id}`);
        return reply.status(201).send({
          ...stored,
          config: stored.config as z.infer<typeof Model>['config'],
          metrics: stored.metrics as z.infer<typeof Model>['metrics'],
          createdAt: iso(stored.createdAt),
        });
      },
    );
  });
};
