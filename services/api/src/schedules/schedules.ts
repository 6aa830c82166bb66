import { AppError, errorCodeOf, type JobKind, type ParsedJobRequest } from '@kiln/contracts';
import { activeSchedules, getSchedule, pausedSchedules, recordScheduleFiring, type ScheduleRow } from '@kiln/db';
import { repeatProblem, type ScheduleFiring } from '@kiln/queue';
import type { FastifyBaseLogger } from 'fastify';
import { z } from 'zod';
import type { ApiContext } from '../context.js';
import { PrepareScope, preparePayload } from '../prepare.js';
import { checkPipeline, createPipeline, PipelineBody } from '../pipelines/pipelines.js';
import { submitKeyed } from '../pipelines/submit.js';
import { SubmitBody } from '../routes/jobs.js';
import { iso } from '../schemas/common.js';

/** Longest `everyMs` (2³¹ − 1 ms, about 24.8 days; longer periods are cron expressions). */
const MAX_EVERY_MS = 2_147_483_647;

export const ScheduleTarget = z
  .union([
    z.object({ job: SubmitBody.describe('A `POST /v1/jobs` body.') }).strict(),
    z.object({ pipeline: PipelineBody.describe('A `POST /v1/pipelines` body.') }).strict(),
  ])
  .describe('What each firing submits: `{ job: <POST /v1/jobs body> }` or `{ pipeline: <POST /v1/pipelines body> }`.');
export type ScheduleTarget = z.output<typeof ScheduleTarget>;

export const CreateScheduleBody = z
  .object({
    name: z.string().min(1).max(200),
    cron: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .describe('A cron expression (5 fields, or 6 with seconds first), e.g. `0 3 * * *` for 03:00 every day. Give cron or everyMs.'),
    everyMs: z.number().int().min(100).max(MAX_EVERY_MS).optional().describe('Fire every this many milliseconds (from the first firing, at once).'),
    tz: z.string().min(1).max(100).optional().describe('The IANA time zone of a cron expression (default UTC).'),
    target: ScheduleTarget,
  })
  .strict()
  .meta({ id: 'CreateSchedule' });
export type CreateScheduleBody = z.output<typeof CreateScheduleBody>;

export const Schedule = z
  .object({
    id: z.string(),
    name: z.string(),
    cron: z.string().nullable(),
    everyMs: z.number().int().nullable(),
    tz: z.string().nullable(),
    state: z.enum(['active', 'paused']),
    target: z.record(z.string(), z.unknown()),
    nextAt: z.string().nullable().describe('When it fires next (null while paused).'),
    createdAt: z.string(),
    firings: z
      .array(
        z.object({
          at: z.string().describe('The time the firing was due.'),
          jobId: z.string().nullable(),
          pipelineId: z.string().nullable(),
          error: z.object({ code: z.string(), message: z.string() }).nullable(),
        }),
      )
      .optional()
      .describe('The latest firings, newest first, and what each created (one schedule only).'),
  })
  .meta({ id: 'Schedule' });
export type Schedule = z.infer<typeof Schedule>;

const fieldError = (field: string, message: string) =>
  new AppError('KILN_ERR_VALIDATION', `${field}: ${message}`, { details: { issues: [{ field, message }] } });

/**
 * Checks a new schedule beyond its schema: the repeat (a cron expression BullMQ's cron-parser
 * accepts, a time zone) and its target (references resolved, as its first firing would; nothing
 * is kept).
 */
export async function checkSchedule(ctx: ApiContext, body: CreateScheduleBody): Promise<void> {
  const problem = repeatProblem(body);
  if (problem) throw fieldError(problem.field, problem.message);
  const scope = new PrepareScope(ctx);
  try {
    if ('job' in body.target) {
      const { kind, payload } = body.target.job;
      await preparePayload(kind, payload as ParsedJobRequest<JobKind>, scope);
    } else {
      checkPipeline(body.target.pipeline, 'target.pipeline.');
      const first = body.target.pipeline.steps[0];
      if (first) await preparePayload(first.kind, first.payload as ParsedJobRequest<JobKind>, scope);
    }
  } catch (error) {
    const code = errorCodeOf(error);
    if (!(error instanceof AppError) || !code || code === 'KILN_ERR_VALIDATION') throw error;
    throw new AppError(code, `target: ${error.message}`, { details: error.details, cause: error });
  } finally {
    await scope.undo();
  }
}

/**
 * One firing: submits the schedule's target through the normal submit path under the
 * Idempotency-Key `~schedule:<id>:<due time>` (the job or pipeline id derives from it), and logs
 * the firing with what it created. Run twice for one firing (several API processes, a stalled
 * consumer), it creates one job or pipeline and one log row. A paused or deleted schedule's
 * firing does nothing.
 */
export async function fireSchedule(ctx: ApiContext, firing: ScheduleFiring, log?: FastifyBaseLogger): Promise<void> {
  const s = await getSchedule(ctx.db, firing.scheduleId);
  if (!s || s.state !== 'active') return;
  const key = `~schedule:${s.id}:${firing.at}`;
  const firedAt = new Date(firing.at);
  const parsed = ScheduleTarget.safeParse(s.target);
  if (!parsed.success) {
    // A stored target the API no longer takes: logged as the firing's outcome, not retried.
    await recordScheduleFiring(ctx.db, { scheduleId: s.id, firedAt, error: { code: 'KILN_ERR_PAYLOAD_INVALID', message: `target: ${parsed.error.message}` } });
    return;
  }
  const target = parsed.data;
  try {
    if ('job' in target) {
      const { kind, payload, options } = target.job;
      const job = await submitKeyed(ctx, { kind, request: payload, ...(options ? { options } : {}), key, apiKeyId: s.apiKeyId });
      await recordScheduleFiring(ctx.db, { scheduleId: s.id, firedAt, jobId: job.id });
    } else {
      const p = await createPipeline(ctx, target.pipeline, { key, apiKeyId: s.apiKeyId ?? undefined });
      await recordScheduleFiring(ctx.db, { scheduleId: s.id, firedAt, pipelineId: p.id });
      ctx.kickPipelines();
    }
  } catch (error) {
    const code = errorCodeOf(error);
    // Retried by BullMQ (with backoff) when the stores are away; refused input is logged as the firing's outcome.
    if (!code || code === 'KILN_ERR_UNAVAILABLE' || code === 'KILN_ERR_INTERNAL') throw error;
    log?.warn({ scheduleId: s.id, at: firedAt, err: error }, 'schedule firing refused');
    await recordScheduleFiring(ctx.db, { scheduleId: s.id, firedAt, error: { code, message: (error as Error).message } });
  }
}

/**
 * Brings Redis in line with Postgres: re-creates the scheduler of every active schedule Redis
 * does not hold (a Redis that lost its data), and removes one a paused schedule still has (a
 * pause that raced this sync).
 */
export async function syncSchedulers(ctx: ApiContext): Promise<void> {
  for (const s of await activeSchedules(ctx.db)) {
    if ((await ctx.schedules.next(s.id)) !== null) continue;
    const now = await getSchedule(ctx.db, s.id);
    if (now?.state === 'active') await ctx.schedules.upsert(s.id, now);
  }
  for (const s of await pausedSchedules(ctx.db)) if ((await ctx.schedules.next(s.id)) !== null) await ctx.schedules.remove(s.id);
}

export async function presentSchedule(
  ctx: ApiContext,
  s: ScheduleRow,
  firings?: Array<{ firedAt: Date; jobId: string | null; pipelineId: string | null; error: unknown }>,
): Promise<Schedule> {
  const next = s.state === 'active' ? await ctx.schedules.next(s.id).catch(() => null) : null;
  return {
    id: s.id,
    name: s.name,
    cron: s.cron,
    everyMs: s.everyMs,
    tz: s.tz,
    state: s.state,
    target: s.target as Record<string, unknown>,
    nextAt: next ? new Date(next).toISOString() : null,
    createdAt: iso(s.createdAt),
    ...(firings
      ? {
          firings: firings.map((f) => ({
            at: iso(f.firedAt),
            jobId: f.jobId,
            pipelineId: f.pipelineId,
            error: (f.error as { code: string; message: string } | null) ?? null,
          })),
        }
      : {}),
  };
}
