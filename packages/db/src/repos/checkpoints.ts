import type { Db } from '../client.js';

/** A training run's last end-of-epoch checkpoint (opaque bytes, written by @kiln/ssm). */
export async function saveCheckpoint(db: Db, runId: string, epoch: number, state: Uint8Array): Promise<void> {
  const data = { epoch, state: state as Uint8Array<ArrayBuffer> };
  await db.trainingCheckpoint.upsert({ where: { runId }, create: { runId, ...data }, update: data });
}

export async function loadCheckpoint(db: Db, runId: string): Promise<{ epoch: number; state: Uint8Array } | null> {
  const row = await db.trainingCheckpoint.findUnique({ where: { runId } });
  return row ? { epoch: row.epoch, state: new Uint8Array(row.state) } : null;
}

export async function deleteCheckpoint(db: Db, runId: string): Promise<void> {
  await db.trainingCheckpoint.deleteMany({ where: { runId } });
}
