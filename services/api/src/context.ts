import type { Db } from '@kiln/db';
import type { KilnQueues } from '@kiln/queue';

/** What every route needs: the database, the queues and the limits. */
export interface ApiContext {
  db: Db;
  queues: KilnQueues;
  limits: { uploadBytes: number; quboMaxN: number; quboMaxTerms: number };
}
