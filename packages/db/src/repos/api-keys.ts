import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../client.js';
import { afterKeyset, newestFirst, type PageOptions } from './keyset.js';

export const API_KEY_SCOPES = ['read', 'submit', 'admin'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export interface ApiKeyRow {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** The stored form of a key: its SHA-256 (keys are 32 random bytes, so a fast hash is enough). */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** A new key: `kiln_` + 43 base64url characters (256 bits). Returned once; only its hash is stored. */
export async function createApiKey(db: Db, input: { name: string; scopes: ApiKeyScope[] }): Promise<ApiKeyRow & { key: string }> {
  const key = `kiln_${randomBytes(32).toString('base64url')}`;
  const row = await db.apiKey.create({
    data: { name: input.name, prefix: key.slice(0, 12), hash: hashApiKey(key), scopes: [...new Set(input.scopes)] },
    select: { id: true, name: true, prefix: true, scopes: true, createdAt: true, lastUsedAt: true, revokedAt: true },
  });
  return { ...row, key };
}

const visible = { id: true, name: true, prefix: true, scopes: true, createdAt: true, lastUsedAt: true, revokedAt: true } as const;

/** The live (not revoked) key with this hash. */
export function findApiKeyByHash(db: Db, hash: string): Promise<ApiKeyRow | null> {
  return db.apiKey.findFirst({ where: { hash, revokedAt: null }, select: visible });
}

/** One key by id (revoked ones too), or null. */
export function getApiKey(db: Db, id: string): Promise<ApiKeyRow | null> {
  return db.apiKey.findUnique({ where: { id }, select: visible });
}

/** Keys newest first; keyset-paged when `limit` is given (all of them otherwise). */
export function listApiKeys(db: Db, options: PageOptions = {}): Promise<ApiKeyRow[]> {
  return db.apiKey.findMany({
    where: afterKeyset(options.after),
    orderBy: newestFirst,
    ...(options.limit !== undefined ? { take: options.limit } : {}),
    select: visible,
  });
}

/** Revokes a key (idempotent); false when there is no such key. */
export async function revokeApiKey(db: Db, id: string): Promise<ApiKeyRow | null> {
  const row = await db.apiKey.findUnique({ where: { id }, select: visible });
  if (!row) return null;
  if (row.revokedAt) return row;
  return db.apiKey.update({ where: { id }, data: { revokedAt: new Date() }, select: visible });
}

export async function touchApiKey(db: Db, id: string): Promise<void> {
  await db.apiKey.update({ where: { id }, data: { lastUsedAt: new Date() } });
}

export function countApiKeys(db: Db): Promise<number> {
  return db.apiKey.count({ where: { revokedAt: null } });
}
