import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client.js';

export type Db = PrismaClient;

export interface DbOptions {
  /** Postgres connection string. */
  url: string;
  /** Pool size of the pg driver behind the adapter. */
  maxConnections?: number;
}

/** A Prisma client over node-postgres (no query engine binary needed). Call `$disconnect()` to close. */
export function createDb(options: DbOptions): Db {
  const adapter = new PrismaPg({ connectionString: options.url, max: options.maxConnections ?? 10 });
  return new PrismaClient({ adapter });
}
