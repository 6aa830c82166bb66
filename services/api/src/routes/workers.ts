import { jobCatalog, jobKinds } from '@kiln/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiContext } from '../context.js';
import { errorResponses } from '../schemas/common.js';

const int = () => z.number().int();

const WorkerConnection = z
  .object({
    queue: z.string().describe('The queue this connection takes jobs from.'),
    kind: z.string(),
    clientId: z.string().describe("Redis's id of the connection (CLIENT LIST)."),
    addr: z.string().describe('Host and port the worker connects from.'),
    connectedSeconds: int().describe('How long the connection has been open.'),
    idleSeconds: int().describe('Seconds since its last command (a worker blocked waiting for jobs shows the time since it started waiting).'),
    lastSeenAt: z.iso.datetime({ offset: true }).describe('Now minus idleSeconds: the last time this connection sent Redis a command.'),
  })
  .meta({ id: 'WorkerConnection' });

const ActiveJob = z
  .object({
    id: z.string(),
    kind: z.string(),
    queue: z.string(),
    worker: z.string().nullable().describe('The BullMQ worker holding the lock (its token id), or null when the lock is gone.'),
    startedAt: z.iso.datetime({ offset: true }).nullable(),
    lockExpiresInMs: int()
      .nullable()
      .describe("Until the job's lock expires unless renewed (a live worker renews it every half lock period); null when there is no lock."),
    orphaned: z.boolean().describe('Active but its lock is gone: its worker died; the stalled-job check will put it back (or fail it).'),
  })
  .meta({ id: 'ActiveJob' });

const WorkersResponse = z.object({
  items: z.array(WorkerConnection).describe('Every worker connection to Redis, per queue.'),
  active: z.array(ActiveJob).describe("Every active job of every queue, with its lock's state."),
  queues: z.array(z.object({ name: z.string(), kind: z.string(), workers: int(), active: int(), orphaned: int() })),
});

/** `GET /v1/workers`: who is connected (BullMQ's `getWorkers`, i.e. CLIENT LIST), what runs, and which active jobs lost their worker. */
export const workerRoutes: FastifyPluginAsyncZod<{ ctx: ApiContext }> = async (app, { ctx }) => {
  app.get(
    '/v1/workers',
    {
      config: { auth: 'read' },
      schema: {
        tags: ['queues'],
        operationId: 'listWorkers',
        summary: 'Connected workers, the jobs they run, and orphaned jobs (active without a lock)',
        description:
          "Workers are BullMQ's worker connections to Redis (CLIENT LIST, matched by each queue's client name). An active job's lock is renewed by its worker; an active job without a lock belongs to a dead worker (`orphaned`).",
        response: { 200: WorkersResponse, ...errorResponses() },
      },
    },
    async () => {
      const now = Date.now();
      const items: z.infer<typeof WorkerConnection>[] = [];
      const active: z.infer<typeof ActiveJob>[] = [];
      const queues: z.infer<typeof WorkersResponse>['queues'] = [];
      for (const kind of jobKinds) {
        const name = jobCatalog[kind].queue;
        const queue = ctx.queues.queue(kind);
        const clients = (await queue.getWorkers()) as Array<Record<string, string>>;
        const connections = clients
          .filter((c) => typeof c.id === 'string')
          .map((c) => {
            const idle = Number(c.idle ?? 0);
            return {
              queue: name,
              kind,
              clientId: String(c.id),
              addr: String(c.addr ?? ''),
              connectedSeconds: Number(c.age ?? 0),
              idleSeconds: idle,
              lastSeenAt: new Date(now - idle * 1000).toISOString(),
            };
          });
        items.push(...connections);
        const jobs = await queue.getActive(0, 999);
        let orphaned = 0;
        for (const job of jobs) {
          if (job.id === undefined) continue;
          const lockKey = `${queue.toKey(job.id)}:lock`;
          const [token, ttl] = await Promise.all([ctx.queues.redis.get(lockKey), ctx.queues.redis.pttl(lockKey)]);
          const lost = token === null;
          if (lost) orphaned += 1;
          active.push({
            id: job.id,
            kind,
            queue: name,
            worker: token === null ? null : (token.split(':')[0] ?? token),
            startedAt: job.processedOn ? new Date(job.processedOn).toISOString() : null,
            lockExpiresInMs: lost || ttl < 0 ? null : ttl,
            orphaned: lost,
          });
        }
        queues.push({ name, kind, workers: connections.length, active: jobs.length, orphaned });
      }
      return { items, active, queues };
    },
  );
};
