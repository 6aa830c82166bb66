import { createHash } from 'node:crypto';
import { AppError, type JobKind, type JobOptions, type JobState, jobCatalog, type ParsedJobRequest } from '@kiln/contracts';
import { findJob } from '@kiln/db';
import type { ApiContext } from '../context.js';
import { PrepareScope, preparePayload } from '../prepare.js';

/**
 * A stable UUID-shaped id from a key: the same key always names the same job, pipeline or tune, so a
 * step or a firing submitted twice (two replicas, a retried firing) makes one.
 */
export function idFromKey(namespace: 'job' | 'pipeline' | 'tune', key: string): string {
  const h = createHash('sha256').update(`kiln-${namespace}:${key}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * Kiln's own submits (a pipeline's next step, a schedule's firing) go the way of `POST /v1/jobs`:
 * the kind's preparer (references checked, defaults filled), then the group commit (the row in
 * Postgres, then the queue). `key` is the Idempotency-Key: the job id derives from it, so a second
 * submit under it returns the first job (`created: false`) and never queues another.
 */
export async function submitKeyed(
  ctx: ApiContext,
  s: { kind: JobKind; request: unknown; options?: JobOptions; key: string; apiKeyId?: string | null; prepared?: unknown },
): Promise<{ id: string; state: JobState; created: boolean }> {
  const id = idFromKey('job', s.key);
  const existing = await findJob(ctx.sql, id);
  if (existing) return { id, state: existing.state, created: false };
  const scope = new PrepareScope(ctx);
  const options = s.options ?? {};
  try {
    let payload = s.prepared;
    if (payload === undefined) {
      const parsed = jobCatalog[s.kind].request.safeParse(s.request);
      // A stored request the catalog no longer takes (or a step given no model) is refused for good, like a bad submit.
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => ({ field: ['payload', ...i.path].join('.'), message: i.message }));
        throw new AppError('KILN_ERR_PAYLOAD_INVALID', `payload: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`, { details: { issues } });
      }
      payload = await preparePayload(s.kind, parsed.data as ParsedJobRequest<JobKind>, scope);
    }
    const state: JobState = options.delayMs ? 'delayed' : 'waiting';
    const [outcome] = await ctx.commits.submit([
      {
        id,
        kind: s.kind,
        queue: jobCatalog[s.kind].queue,
        state,
        payload,
        options,
        jobOptions: options,
        idempotencyKey: s.key,
        ...(s.apiKeyId ? { apiKeyId: s.apiKeyId } : {}),
      },
    ]);
    if (outcome && !outcome.created) {
      await scope.undo();
      return { id, state: outcome.existing.state, created: false };
    }
    return { id, state, created: true };
  } catch (error) {
    await scope.undo();
    throw error;
  }
}
