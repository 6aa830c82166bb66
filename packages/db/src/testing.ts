import { randomUUID } from 'node:crypto';
import { dropDatabase, ensureDatabase, migrate } from './migrate.js';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * A fresh, migrated Postgres database for one test file, on the server of `DATABASE_URL`
 * (default: the local one). Drop it in afterAll.
 */
export async function createTestDatabase(baseUrl = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/kiln'): Promise<TestDatabase> {
  const url = new URL(baseUrl);
  url.pathname = `/kiln_test_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  const href = url.toString();
  await ensureDatabase(href);
  await migrate({ url: href });
  return { url: href, drop: () => dropDatabase(href) };
}
