import pg from 'pg';

export type SqlPool = pg.Pool;

/**
 * A plain node-postgres pool for the hot statements (job submits, lifecycle writes): one round
 * trip and no ORM work per statement. Prisma (`createDb`) stays for everything else. Close with `end()`.
 */
export function createSqlPool(options: { url: string; max?: number }): SqlPool {
  const pool = new pg.Pool({ connectionString: options.url, max: options.max ?? 10 });
  // An idle client's error (a restarted server) must not crash the process: the pool replaces it.
  pool.on('error', () => undefined);
  return pool;
}
