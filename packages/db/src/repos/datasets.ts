import type { Db } from '../client.js';
import { afterKeyset, newestFirst, type PageOptions } from './keyset.js';

export interface NewDataset {
  name: string;
  format: string;
  kcore: number;
  users: string[];
  items: string[];
  sequences: Int32Array[];
  rawInteractions: number;
}

export interface DatasetSummary {
  id: string;
  name: string;
  format: string;
  kcore: number;
  users: number;
  items: number;
  interactions: number;
  rawInteractions: number;
  createdAt: Date;
}

const BATCH = 2000;

/** Stores a parsed dataset in one transaction: the summary row, the item id map and one row per user. */
export async function createDataset(db: Db, input: NewDataset): Promise<DatasetSummary> {
  const interactions = input.sequences.reduce((s, q) => s + q.length, 0);
  return db.$transaction(
    async (tx) => {
      const row = await tx.dataset.create({
        data: {
          name: input.name,
          format: input.format,
          kcore: input.kcore,
          users: input.users.length,
          items: input.items.length,
          interactions,
          rawInteractions: input.rawInteractions,
        },
      });
      for (let start = 0; start < input.items.length; start += BATCH) {
        await tx.datasetItem.createMany({
          data: input.items.slice(start, start + BATCH).map((externalId, k) => ({ datasetId: row.id, idx: start + k + 1, externalId })),
        });
      }
      for (let start = 0; start < input.users.length; start += BATCH) {
        await tx.datasetUser.createMany({
          data: input.users.slice(start, start + BATCH).map((externalId, k) => ({
            datasetId: row.id,
            idx: start + k,
            externalId,
            items: Array.from(input.sequences[start + k] ?? []),
          })),
        });
      }
      return row;
    },
    { timeout: 300_000, maxWait: 30_000 },
  );
}

export function getDataset(db: Db, id: string): Promise<DatasetSummary | null> {
  return db.dataset.findUnique({ where: { id } });
}

/** Datasets newest first, keyset-paged. */
export function listDatasets(db: Db, options: PageOptions = {}): Promise<DatasetSummary[]> {
  return db.dataset.findMany({ where: afterKeyset(options.after), orderBy: newestFirst, take: options.limit ?? 100 });
}

export interface DatasetContent {
  users: string[];
  items: string[];
  sequences: Int32Array[];
}

/** Loads the whole dataset back: ids and every user's sequence (users in index order). */
export async function loadDataset(db: Db, id: string): Promise<DatasetContent | null> {
  const exists = await db.dataset.findUnique({ where: { id }, select: { id: true } });
  if (!exists) return null;
  const [items, users] = await Promise.all([
    db.datasetItem.findMany({ where: { datasetId: id }, orderBy: { idx: 'asc' }, select: { externalId: true } }),
    db.datasetUser.findMany({ where: { datasetId: id }, orderBy: { idx: 'asc' }, select: { externalId: true, items: true } }),
  ]);
  return {
    users: users.map((u) => u.externalId),
    items: items.map((i) => i.externalId),
    sequences: users.map((u) => Int32Array.from(u.items)),
  };
}
