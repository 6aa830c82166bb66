import type { Db } from '../client.js';

/** A dataset's item vocabulary: position i is the item of index i + 1 in its sequences (and row i + 1 of a model's item embedding). */
export async function listDatasetItems(db: Db, datasetId: string): Promise<string[] | null> {
  const exists = await db.dataset.findUnique({ where: { id: datasetId }, select: { id: true } });
  if (!exists) return null;
  const rows = await db.datasetItem.findMany({ where: { datasetId }, orderBy: { idx: 'asc' }, select: { externalId: true } });
  return rows.map((r) => r.externalId);
}

/** A model's name, version and weights, for a download. */
export function getModelFile(db: Db, id: string) {
  return db.model.findUnique({
    where: { id },
    select: { id: true, name: true, version: true, datasetId: true, jobId: true, backend: true, bestEpoch: true, metrics: true, weights: true },
  });
}
