import type { Db } from '../client.js';
import { afterKeyset, newestFirst, type PageOptions } from './keyset.js';
import type { Prisma } from '../generated/prisma/client.js';

export interface NewModel {
  jobId: string;
  name: string;
  datasetId: string;
  config: unknown;
  weights: Uint8Array;
  metrics: unknown;
  epochs: unknown;
  backend: string;
  parameters: number;
  bestEpoch: number;
}

export interface ModelSummary {
  id: string;
  name: string;
  version: number;
  datasetId: string;
  jobId: string;
  config: unknown;
  metrics: unknown;
  backend: string;
  parameters: number;
  bestEpoch: number;
  createdAt: Date;
}

const summary = {
  id: true,
  name: true,
  version: true,
  datasetId: true,
  jobId: true,
  config: true,
  metrics: true,
  backend: true,
  parameters: true,
  bestEpoch: true,
  createdAt: true,
} as const;

/**
 * Stores the model a training job produced, as the next version of its name. Keyed by job id:
 * a re-run of the same job returns the model already stored instead of writing a second one.
 */
export async function upsertModelForJob(db: Db, model: NewModel): Promise<ModelSummary> {
  for (let attempt = 0; ; attempt++) {
    const existing = await db.model.findUnique({ where: { jobId: model.jobId }, select: summary });
    if (existing) return existing;
    try {
      return await db.$transaction(async (tx) => {
        const last = await tx.model.aggregate({ where: { name: model.name }, _max: { version: true } });
        return tx.model.create({
          data: {
            ...model,
            version: (last._max.version ?? 0) + 1,
            weights: model.weights as Uint8Array<ArrayBuffer>,
            config: model.config as Prisma.InputJsonValue,
            metrics: model.metrics as Prisma.InputJsonValue,
            epochs: model.epochs as Prisma.InputJsonValue,
          },
          select: summary,
        });
      });
    } catch (error) {
      // Two jobs naming the same model raced for one version number: take the next one.
      if ((error as { code?: string }).code !== 'P2002' || attempt >= 5) throw error;
    }
  }
}

export function getModel(db: Db, id: string): Promise<(ModelSummary & { epochs: unknown }) | null> {
  return db.model.findUnique({ where: { id }, select: { ...summary, epochs: true } });
}

export async function getModelWeights(db: Db, id: string): Promise<{ config: unknown; weights: Uint8Array; datasetId: string } | null> {
  return db.model.findUnique({ where: { id }, select: { config: true, weights: true, datasetId: true } });
}

/** Models newest first, keyset-paged. */
export function listModels(db: Db, options: PageOptions & { datasetId?: string } = {}): Promise<ModelSummary[]> {
  return db.model.findMany({
    where: { ...(options.datasetId ? { datasetId: options.datasetId } : {}), ...afterKeyset(options.after) },
    orderBy: newestFirst,
    take: options.limit ?? 100,
    select: summary,
  });
}
