import { AppError, type JobKind, jobKinds, jobStates } from '@kiln/contracts';
import { getJob, type JobRow } from '@kiln/db';
import { compareEventIds, isEventId, isFinalEvent, type JobEvent } from '@kiln/queue';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiContext } from '../context.js';
import { frameOf, type SseFrame, SseStream, sseHeaders } from '../events/sse.js';
import { errorResponses, IdParams } from '../schemas/common.js';

const terminal = new Set(['completed', 'failed', 'cancelled']);
/** The id of a final event made from the job's row (its stream was gone or behind): `<finishedAt ms>-final`. */
const FINAL_SUFFIX = '-final';

const LastEventIdHeaders = z.looseObject({
  'last-event-id': z
    .string()
    .max(64)
    .regex(/^\d{1,20}-(\d{1,20}|final)$/, 'must be the id of an event of this API')
    .optional()
    .describe('Resume after this event (EventSource sends it by itself when it reconnects): every later event, none twice.'),
});

const eventStreamDoc = (description: string) => ({
  description,
  content: {
    'text/event-stream': { schema: z.string().describe('Server-Sent Events: `id:`, `event:` (progress, state, result) and a JSON `data:` line each.') },
  },
});

const csv = <T extends string>(values: readonly T[], name: string) =>
  z
    .string()
    .max(200)
    .optional()
    .transform((s, ctx) => {
      if (s === undefined || s === '') return undefined;
      const parts = s.split(',').map((p) => p.trim());
      const bad = parts.filter((p) => !(values as readonly string[]).includes(p));
      if (bad.length > 0) {
        ctx.addIssue({ code: 'custom', message: `${name}: unknown ${bad.join(', ')} (one or more of ${values.join(', ')}, comma-separated)` });
        return z.NEVER;
      }
      return new Set(parts as T[]);
    })
    .pipe(z.custom<Set<T> | undefined>())
    .describe(`One or more of ${values.join(', ')}, comma-separated.`);

const eventTypes = ['progress', 'state', 'result'] as const;

const EventsQuery = z.object({
  kind: csv(jobKinds as readonly JobKind[], 'kind'),
  type: csv(eventTypes, 'type'),
  state: csv(jobStates, 'state'),
});

/** The final events of a job, made from its row: its result (completed) and its final state. */
function finalFromRow(row: JobRow): SseFrame[] {
  const ms = (row.finishedAt ?? row.updatedAt).getTime();
  const at = new Date(ms).toISOString();
  const base = { jobId: row.id, kind: row.kind, at };
  const out: SseFrame[] = [];
  if (row.state === 'completed') out.push({ event: 'result', data: { ...base, result: row.result ?? null } });
  out.push({
    id: `${ms}${FINAL_SUFFIX}`,
    event: 'state',
    data: { ...base, state: row.state, attempt: row.attempts, ...(row.error ? { error: row.error } : {}) },
  });
  return out;
}

export const eventRoutes: FastifyPluginAsyncZod<{ ctx: ApiContext }> = async (app, { ctx }) => {
  const { hub, streams, heartbeatMs } = ctx.events;

  app.get(
    '/v1/jobs/:id/events',
    {
      config: { auth: 'read' },
      schema: {
        tags: ['jobs'],
        operationId: 'jobEvents',
        summary: "A job's events, live (Server-Sent Events)",
        description:
          "Every event of the job so far, then each new one as it happens: `progress` (the kind's progress), `state` (waiting, delayed, active, completed, failed, cancelled, with `attempt` and a failure's `error`) and `result` (a completed job's result, just before its final state). The stream ends after the final state; a job that has already ended answers its events (at least its result and final state) at once. Each event has an `id`: reconnect with `Last-Event-ID` to get every later event, none twice (204 when the client already has the final one). A comment line every 15 s keeps idle connections open. Browsers (EventSource cannot send headers) go through the dashboard, which adds the key.",
        params: IdParams,
        headers: LastEventIdHeaders,
        response: {
          200: eventStreamDoc("The job's events."),
          204: z.void().describe('The Last-Event-ID is the final event: nothing follows.'),
          ...errorResponses(400, 404),
        },
      },
    },
    async (req, reply) => {
      const { id } = req.params;
      const given = req.headers['last-event-id'] as string | undefined;
      const row = await getJob(ctx.db, id);
      if (!row) throw new AppError('KILN_ERR_NOT_FOUND', `no job ${id}`);
      if (given?.endsWith(FINAL_SUFFIX)) return reply.status(204).send();
      let last = given && isEventId(given) ? given : '0';

      // Live events are buffered from before the catch-up read, so none falls between the two.
      await hub.ready();
      const live: JobEvent[] = [];
      let deliver: ((e: JobEvent) => void) | undefined;
      const unsubscribe = hub.subscribe((e) => {
        if (e.jobId !== id) return;
        if (deliver) deliver(e);
        else live.push(e);
      });
      let backlog: JobEvent[];
      try {
        backlog = await ctx.queues.events.range(id, last, 10_000);
      } catch (error) {
        unsubscribe();
        throw error;
      }
      const ended = backlog.some(isFinalEvent);
      if (!ended && backlog.length === 0 && terminal.has(row.state)) {
        // Nothing new and the job has ended: the client has its final event, or the log lost it.
        const [newest] = await ctx.queues.events.latest(id, 1);
        if (newest && isFinalEvent(newest) && last !== '0' && compareEventIds(newest.id, last) <= 0) {
          unsubscribe();
          return reply.status(204).send();
        }
      }

      const stream = new SseStream(heartbeatMs, () => void check());
      streams.add(stream);
      void reply.headers(sseHeaders).send(stream.body as unknown as string);
      stream.onClose(() => {
        unsubscribe();
        streams.delete(stream);
      });
      let done = false;
      const finish = async (frames: SseFrame[]) => {
        if (done) return;
        done = true;
        for (const f of frames) await stream.send(f);
        stream.end();
      };
      const send = async (e: JobEvent) => {
        if (done || compareEventIds(e.id, last) <= 0) return;
        last = e.id;
        await stream.send(frameOf(e));
        if (isFinalEvent(e)) await finish([]);
      };
      // The row is the truth: an ended job whose final event is not in its stream (expired, or a
      // writer that died between the row and the log) gets it from the row.
      const check = async () => {
        if (done) return;
        const now = await getJob(ctx.db, id).catch(() => null);
        if (!done && now && terminal.has(now.state)) await finish(finalFromRow(now));
      };

      void (async () => {
        for (const e of backlog) await send(e);
        if (!done && terminal.has(row.state)) return finish(finalFromRow(row));
        // Live from here: first what arrived meanwhile, then each event as the hub sees it (in order).
        let chain = Promise.resolve();
        deliver = (e) => {
          chain = chain.then(() => send(e)).catch(() => stream.end());
        };
        for (const e of live.splice(0)) deliver(e);
        // A job that ended between the first read of its row and now.
        chain = chain.then(check);
      })().catch(() => stream.end());
      return reply;
    },
  );

  app.get(
    '/v1/events',
    {
      config: { auth: 'read' },
      schema: {
        tags: ['jobs'],
        operationId: 'events',
        summary: "Every job's events, live (Server-Sent Events)",
        description:
          'The events of every job as they happen (the same `progress`, `state` and `result` events as `GET /v1/jobs/{id}/events`, each naming its `jobId` and `kind`), filtered by `kind`, `type` and `state` (state events of those states only). Without `Last-Event-ID` the stream starts now; with it, it resumes after that event (the log keeps about the last 100,000 events of all jobs). The stream does not end by itself.',
        querystring: EventsQuery,
        headers: LastEventIdHeaders,
        response: { 200: eventStreamDoc('The events.'), ...errorResponses(400) },
      },
    },
    async (req, reply) => {
      const { kind, type, state } = req.query;
      const given = req.headers['last-event-id'] as string | undefined;
      const wanted = (e: JobEvent) =>
        (!kind || kind.has(e.kind as JobKind)) &&
        (!type || type.has(e.type)) &&
        (!state || e.type !== 'state' || state.has(e.data.state as (typeof jobStates)[number]));

      await hub.ready();
      const live: JobEvent[] = [];
      let deliver: ((e: JobEvent) => void) | undefined;
      const unsubscribe = hub.subscribe((e) => {
        if (deliver) deliver(e);
        else live.push(e);
      });
      let last: string;
      try {
        if (given && isEventId(given)) last = given;
        else last = (await ctx.queues.events.latest(null, 1))[0]?.id ?? '0-0';
      } catch (error) {
        unsubscribe();
        throw error;
      }

      const stream = new SseStream(heartbeatMs);
      streams.add(stream);
      void reply.headers(sseHeaders).send(stream.body as unknown as string);
      stream.onClose(() => {
        unsubscribe();
        streams.delete(stream);
      });
      const send = async (e: JobEvent) => {
        if (stream.closed || compareEventIds(e.id, last) <= 0) return;
        last = e.id;
        if (wanted(e)) await stream.send(frameOf(e));
      };
      void (async () => {
        // Catch up from the log, a page at a time, then go live.
        for (;;) {
          const page = await ctx.queues.events.range(null, last, 1000);
          for (const e of page) await send(e);
          if (page.length < 1000 || stream.closed) break;
        }
        let chain = Promise.resolve();
        deliver = (e) => {
          chain = chain.then(() => send(e)).catch(() => stream.end());
        };
        for (const e of live.splice(0)) deliver(e);
      })().catch(() => stream.end());
      return reply;
    },
  );
};
