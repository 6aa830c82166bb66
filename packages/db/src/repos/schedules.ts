import type { Db } from '../client.js';
import { afterKeyset, type Keyset, newestFirst } from './keyset.js';
import { Prisma } from '../generated/prisma/client.js';

export type ScheduleState = 'active' | 'paused';

export interface ScheduleRow {
  id: string;
  name: string;
  cron: string | null;
  everyMs: number | null;
  tz: string | null;
  target: unknown;
  state: ScheduleState;
  apiKeyId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface ScheduleFiringRow {
  scheduleId: string;
  firedAt: Date;
  jobId: string | null;
  pipelineId: string | null;
  error: unknown;
  createdAt: Date;
}

const json = (value: unknown) => (value === null || value === undefined ? Prisma.JsonNull : (value as Prisma.InputJsonValue));
const asRow = (r: { state: string } & Omit<ScheduleRow, 'state'>): ScheduleRow => ({ ...r, state: r.state as ScheduleState });

export async function insertSchedule(
  db: Db,
  s: { name: string; cron?: string | null; everyMs?: number | null; tz?: string | null; target: unknown; apiKeyId?: string },
): Promise<ScheduleRow> {
  return asRow(
    await db.schedule.create({
      data: { name: s.name, cron: s.cron ?? null, everyMs: s.everyMs ?? null, tz: s.tz ?? null, target: json(s.target), apiKeyId: s.apiKeyId ?? null },
    }),
  );
}

export async function getSchedule(db: Db, id: string): Promise<ScheduleRow | null> {
  const row = await db.schedule.findUnique({ where: { id } });
  return row ? asRow(row) : null;
}

/** Schedules newest first, keyset-paged by (createdAt, id): `limit + 1` rows. */
export async function listSchedules(db: Db, options: { limit: number; after?: Keyset }): Promise<ScheduleRow[]> {
  const rows = await db.schedule.findMany({
    where: afterKeyset(options.after),
    orderBy: newestFirst,
    take: options.limit + 1,
  });
  return rows.map(asRow);
}

/** Every active schedule (to re-create a scheduler Redis lost). */
export async function activeSchedules(db: Db): Promise<ScheduleRow[]> {
  return (await db.schedule.findMany({ where: { state: 'active' } })).map(asRow);
}

/** Every paused schedule (whose scheduler Redis must not hold). */
export async function pausedSchedules(db: Db): Promise<ScheduleRow[]> {
  return (await db.schedule.findMany({ where: { state: 'paused' } })).map(asRow);
}

export async function setScheduleState(db: Db, id: string, state: ScheduleState): Promise<ScheduleRow | null> {
  const { count } = await db.schedule.updateMany({ where: { id }, data: { state } });
  return count ? getSchedule(db, id) : null;
}

export async function deleteSchedule(db: Db, id: string): Promise<boolean> {
  const { count } = await db.schedule.deleteMany({ where: { id } });
  return count > 0;
}

/** Logs a firing and what it made; a firing already logged (a re-run) keeps its row. */
export async function recordScheduleFiring(
  db: Db,
  f: { scheduleId: string; firedAt: Date; jobId?: string; pipelineId?: string; error?: unknown },
): Promise<void> {
  await db.scheduleFiring.createMany({
    data: [{ scheduleId: f.scheduleId, firedAt: f.firedAt, jobId: f.jobId ?? null, pipelineId: f.pipelineId ?? null, error: json(f.error) }],
    skipDuplicates: true,
  });
}

/** A schedule's firings, newest first. */
export async function listScheduleFirings(db: Db, scheduleId: string, limit = 20): Promise<ScheduleFiringRow[]> {
  return db.scheduleFiring.findMany({ where: { scheduleId }, orderBy: { firedAt: 'desc' }, take: limit });
}

export async function countScheduleFirings(db: Db, scheduleId: string): Promise<number> {
  return db.scheduleFiring.count({ where: { scheduleId } });
}
