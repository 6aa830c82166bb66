import type { Db, SqlPool } from '@kiln/db';
import type { KilnQueues, KilnSchedules } from '@kiln/queue';
import type { EventsContext } from './events/hub.js';
import type { WebhookService } from './events/webhooks.js';
import type { ExistsCache } from './exists-cache.js';
import type { GroupCommit } from './group-commit.js';
import type { OnlineApi } from './online/types.js';

/** What every route needs: the database (Prisma, and a plain pool for hot statements), the queues, the submit group commit and the limits. */
export interface ApiContext {
  db: Db;
  sql: SqlPool;
  queues: KilnQueues;
  commits: GroupCommit;
  exists: ExistsCache;
  /** Job events as Server-Sent Events (routes/events.ts). */
  events: EventsContext;
  /** Webhook and callback deliveries (routes/webhooks.ts, events/webhooks.ts). */
  webhooks: WebhookService;
  limits: {
    uploadBytes: number;
    quboMaxN: number;
    quboMaxTerms: number;
    /** Memory one ssm.train job may use on a worker-ssm (KILN_SSM_MEMORY_MB). */
    ssmMemoryBytes: number;
  };
  /** /metrics needs a `read` key. */
  metricsRequireKey: boolean;
  /** Drops a revoked key from this process's key cache. */
  forgetKey(keyId: string): void;
  /** The BullMQ job schedulers behind the schedules (docs/adr/0018). */
  schedules: KilnSchedules;
  /** Asks the advancer of pipelines and tunes for a pass soon (a step or a tune was just created). */
  kickPipelines(): void;
  /** Online recommendations from a model's recurrent state per user (routes/online.ts, online/service.ts). */
  online: OnlineApi;
}
