import type { Db } from '../client.js';
import type { SqlPool } from '../sql.js';

// A training run's last end-of-epoch checkpoint (opaque bytes, written by @kiln/ssm), one row per
// run. Give these a plain pool (`createSqlPool`) for real checkpoints: measured with a 100 MB
// state, Prisma's upsert took 16 s and 1.4 GB of transient memory, node-postgres 1.6 s and 100 MB
// (ML-1M's default model: 4.7 MB, 0.3-0.7 s against 0.13 s). Prisma's client works too.

const isPrisma = (db: Db | SqlPool): db is Db => '$transaction' in db;

export async function saveCheckpoint(db: Db | SqlPool, runId: string, epoch: number, state: Uint8Array): Promise<void> {
  if (isPrisma(db)) {
    const data = { epoch, state: state as Uint8Array<ArrayBuffer> };
    await db.trainingCheckpoint.upsert({ where: { runId }, create: { runId, ...data }, update: data });
    return;
  }
  await db.query(
    `INSERT INTO "TrainingCheckpoint" ("runId", "epoch", "state", "updatedAt") VALUES ($1, $2, $3, now())
     ON CONFLICT ("runId") DO UPDATE SET "epoch" = EXCLUDED."epoch", "state" = EXCLUDED."state", "updatedAt" = now()`,
    [runId, epoch, Buffer.from(state.buffer, state.byteOffset, state.byteLength)],
  );
}

export async function loadCheckpoint(db: Db | SqlPool, runId: string): Promise<{ epoch: number; state: Uint8Array } | null> {
  if (isPrisma(db)) {
    const row = await db.trainingCheckpoint.findUnique({ where: { runId } });
    return row ? { epoch: row.epoch, state: new Uint8Array(row.state) } : null;
  }
  const { rows } = await db.query<{ epoch: number; state: Buffer }>('SELECT "epoch", "state" FROM "TrainingCheckpoint" WHERE "runId" = $1', [runId]);
  const row = rows[0];
  return row ? { epoch: row.epoch, state: new Uint8Array(row.state.buffer, row.state.byteOffset, row.state.byteLength) } : null;
}

export async function deleteCheckpoint(db: Db | SqlPool, runId: string): Promise<void> {
  if (isPrisma(db)) await db.trainingCheckpoint.deleteMany({ where: { runId } });
  else await db.query('DELETE FROM "TrainingCheckpoint" WHERE "runId" = $1', [runId]);
}
