import type { JobKind, JobOptions, JobState } from '@kiln/contracts';
import { deleteJobs, findJobs, insertJobs, type JobRow, type SqlPool } from '@kiln/db';
import type { KilnQueues } from '@kiln/queue';
import { activeTraceContext, runInTraceContext, type TraceContext, traceMetadata } from '@kiln/telemetry';

/** One job to write: its row (Postgres) and its queue entry (Redis). */
export interface Submission {
  id: string;
  kind: JobKind;
  queue: string;
  state: JobState;
  payload: unknown;
  /** The row's options (the job options and the request hash). */
  options: Record<string, unknown>;
  /** What BullMQ gets (priority, delay, attempts). */
  jobOptions: JobOptions;
  idempotencyKey?: string;
  /** The API key that submitted it. */
  apiKeyId?: string;
}

/** Written now (`created`), or a row that already had this id or key (`existing`: an idempotent replay or a conflict). */
export type SubmitOutcome = { created: true } | { created: false; existing: JobRow };

const stats = { groups: 0, jobs: 0 };

interface Waiting {
  subs: Submission[];
  /** The submitting request's trace context (its jobs belong to its trace). */
  trace: TraceContext;
  resolve(outcomes: SubmitOutcome[]): void;
  reject(error: unknown): void;
}

/**
 * Group commit for job submits: concurrent submits that arrive while a write is in flight (or in
 * the same event-loop turn) share one multi-row INSERT and one BullMQ addBulk per kind, so a
 * submit costs a share of two round trips instead of two. Durability is the single submit's: a
 * submit resolves `created` only after its row is committed in Postgres AND its job is in Redis; if
 * the queue write fails, the group's new rows are deleted and every submit of the group rejects
 * (nothing half-written). A unit (one request's submissions) is never split across groups.
 */
export class GroupCommit {
  private pending: Waiting[] = [];
  private pendingJobs = 0;
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly pool: SqlPool,
    private readonly queues: KilnQueues,
    private readonly options: { maxJobs?: number; maxInFlight?: number } = {},
  ) {}

  /** Writes one request's submissions together (all in the same group); resolves per submission. */
  submit(subs: Submission[]): Promise<SubmitOutcome[]> {
    return new Promise((resolve, reject) => {
      this.pending.push({ subs, trace: activeTraceContext(), resolve, reject });
      this.pendingJobs += subs.length;
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.pending.length === 0 || this.inFlight >= (this.options.maxInFlight ?? Number(process.env.KILN_GC_INFLIGHT ?? 2))) return;
    this.scheduled = true;
    // The rest of this turn's requests join the group.
    setImmediate(() => {
      this.scheduled = false;
      this.flushSome();
    });
  }

  private flushSome(): void {
    const max = this.options.maxJobs ?? 2000;
    const group: Waiting[] = [];
    let jobs = 0;
    while (this.pending.length > 0 && (group.length === 0 || jobs + (this.pending[0] as Waiting).subs.length <= max)) {
      const w = this.pending.shift() as Waiting;
      group.push(w);
      jobs += w.subs.length;
    }
    this.pendingJobs -= jobs;
    if (group.length === 0) return;
    this.inFlight++;
    void this.write(group).finally(() => {
      this.inFlight--;
      this.schedule();
    });
    this.schedule();
  }

  private async write(group: Waiting[]): Promise<void> {
    const all = group.flatMap((w) => w.subs);
    if (process.env.KILN_GC_STATS) {
      stats.groups++;
      stats.jobs += all.length;
      if (stats.groups % 500 === 0) console.error(`groups ${stats.groups} mean ${(stats.jobs / stats.groups).toFixed(1)}`);
    }
    let created: Set<string>;
    try {
      created = await insertJobs(this.pool, all);
    } catch (error) {
      for (const w of group) w.reject(error);
      return;
    }
    // A row that was not inserted already existed (same id or key): replay or conflict, decided by the caller.
    const skipped = all.filter((s) => !created.has(s.id));
    let existing = new Map<string, JobRow>();
    const fresh = all.filter((s) => created.has(s.id));
    try {
      if (skipped.length > 0) {
        const rows = await findJobs(
          this.pool,
          skipped.map((s) => s.id),
          skipped.flatMap((s) => (s.idempotencyKey ? [s.idempotencyKey] : [])),
        );
        existing = new Map(
          rows.flatMap((r) => [[r.id, r] as [string, JobRow], ...(r.idempotencyKey ? [[`key:${r.idempotencyKey}`, r] as [string, JobRow]] : [])]),
        );
      }
      // Each request's jobs continue its own trace: the queue writes run in the first request's
      // context and the jobs of the others carry theirs (without tracing all contexts are one).
      const trace = (group[0] as Waiting).trace;
      const ownTrace = new Map<Submission, string>();
      for (const w of group) {
        const metadata = w.trace === trace ? undefined : traceMetadata(w.trace);
        if (metadata) for (const s of w.subs) ownTrace.set(s, metadata);
      }
      const byKind = new Map<JobKind, Submission[]>();
      // A submission created twice in one group (the same id) is enqueued once.
      const seen = new Set<string>();
      for (const s of fresh) {
        if (seen.has(s.id)) continue;
        seen.add(s.id);
        byKind.set(s.kind, [...(byKind.get(s.kind) ?? []), s]);
      }
      await runInTraceContext(trace, () =>
        Promise.all(
          [...byKind].map(([kind, subs]) =>
            this.queues.enqueueMany(
              kind,
              subs.map((s) => ({ id: s.id, payload: s.payload, options: s.jobOptions, traceMetadata: ownTrace.get(s) })),
            ),
          ),
        ),
      );
    } catch (error) {
      // Nothing half-written: without their queue entries the new rows would never run.
      await deleteJobs(
        this.pool,
        fresh.map((s) => s.id),
      ).catch(() => undefined);
      for (const w of group) w.reject(error);
      return;
    }
    const claimed = new Set<string>();
    const firstById = new Map<string, Submission>();
    for (const s of fresh) if (!firstById.has(s.id)) firstById.set(s.id, s);
    for (const w of group) {
      w.resolve(
        w.subs.map((s): SubmitOutcome => {
          if (created.has(s.id) && !claimed.has(s.id)) {
            claimed.add(s.id);
            return { created: true };
          }
          const row = existing.get(s.id) ?? (s.idempotencyKey ? existing.get(`key:${s.idempotencyKey}`) : undefined);
          if (row) return { created: false, existing: row };
          // Created in this same group by an earlier submission with the same id (key): that one's request decides.
          const first = firstById.get(s.id) ?? s;
          return { created: false, existing: { id: first.id, kind: first.kind, state: first.state, options: first.options } as JobRow };
        }),
      );
    }
  }

  /** Jobs waiting for a group (diagnostics). */
  get queued(): number {
    return this.pendingJobs;
  }
}
