import type { Db } from '../client.js';
import type { Prisma } from '../generated/prisma/client.js';

/** The run row of a training job, created once per job (a retry reuses it and resumes from its checkpoint, see checkpoints.ts). */
export async function upsertTrainingRun(db: Db, input: { jobId: string; datasetId: string; config: unknown; backend?: string }): Promise<{ id: string }> {
  return db.trainingRun.upsert({
    where: { jobId: input.jobId },
    create: { jobId: input.jobId, datasetId: input.datasetId, config: input.config as Prisma.InputJsonValue, backend: input.backend ?? null },
    update: { config: input.config as Prisma.InputJsonValue, backend: input.backend ?? null },
    select: { id: true },
  });
}

export interface EpochRow {
  epoch: number;
  loss: number;
  valid: Record<string, number>;
  seconds: number;
  trainSeconds: number;
  validSeconds: number;
}

export async function upsertEpoch(db: Db, runId: string, row: EpochRow): Promise<void> {
  const data = { loss: row.loss, valid: row.valid, seconds: row.seconds, trainSeconds: row.trainSeconds, validSeconds: row.validSeconds };
  await db.epochMetric.upsert({
    where: { runId_epoch: { runId, epoch: row.epoch } },
    create: { runId, epoch: row.epoch, ...data },
    update: data,
  });
}

/** Deletes the run's epochs after `epoch` (a retry resumed from the checkpoint of `epoch` redoes them; 0: every epoch). */
export async function deleteEpochsAfter(db: Db, runId: string, epoch: number): Promise<void> {
  await db.epochMetric.deleteMany({ where: { runId, epoch: { gt: epoch } } });
}

export async function finishTrainingRun(db: Db, runId: string, bestEpoch: number): Promise<void> {
  await db.trainingRun.update({ where: { id: runId }, data: { bestEpoch } });
}

export async function getTrainingRun(db: Db, jobId: string) {
  return db.trainingRun.findUnique({ where: { jobId }, include: { epochs: { orderBy: { epoch: 'asc' } } } });
}
