import type { RecommendationRow } from '@kiln/db';
import { ByteWriter, ParquetWriter } from 'hyparquet-writer';

export const exportFormats = ['csv', 'jsonl', 'parquet'] as const;
export type ExportFormat = (typeof exportFormats)[number];

export const exportContentTypes: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  jsonl: 'application/x-ndjson',
  parquet: 'application/vnd.apache.parquet',
};

/** Rows per Parquet row group: a group is encoded in memory, so this bounds the export's memory. */
export const PARQUET_ROW_GROUP = 50_000;

const csvCell = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/**
 * A scoring job's recommendations as file chunks, one chunk (or fewer) per batch of users read from
 * Postgres. Pulled by the reply stream: the next batch is read only when the client has taken the
 * last one, so memory stays at one batch (Parquet: one row group) whatever the job's size.
 * Scores are written as JS numbers print them, which parse back to the same float64.
 */
export function exportChunks(format: ExportFormat, batches: AsyncIterable<RecommendationRow[]>): AsyncGenerator<Buffer> {
  if (format === 'csv') return csvChunks(batches);
  if (format === 'jsonl') return jsonlChunks(batches);
  return parquetChunks(batches);
}

async function* csvChunks(batches: AsyncIterable<RecommendationRow[]>): AsyncGenerator<Buffer> {
  yield Buffer.from('user,rank,item,score\n');
  for await (const rows of batches) {
    let out = '';
    for (const r of rows) {
      const user = csvCell(r.userExternalId);
      for (let k = 0; k < r.items.length; k++) out += `${user},${k + 1},${csvCell(r.items[k] as string)},${r.scores[k]}\n`;
    }
    yield Buffer.from(out);
  }
}

async function* jsonlChunks(batches: AsyncIterable<RecommendationRow[]>): AsyncGenerator<Buffer> {
  for await (const rows of batches) {
    let out = '';
    for (const r of rows) {
      const items = r.items.map((item, k) => ({ item, score: r.scores[k] as number, rank: k + 1 }));
      out += `${JSON.stringify({ user: r.userExternalId, items })}\n`;
    }
    yield Buffer.from(out);
  }
}

/** Columns user, rank, item, score (the CSV's), one row per (user, rank); row groups of PARQUET_ROW_GROUP rows. */
async function* parquetChunks(batches: AsyncIterable<RecommendationRow[]>): AsyncGenerator<Buffer> {
  const writer = new ByteWriter();
  const parquet = new ParquetWriter({
    writer,
    schema: [
      { name: 'root', num_children: 4 },
      { name: 'user', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
      { name: 'rank', type: 'INT32', repetition_type: 'REQUIRED' },
      { name: 'item', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
      { name: 'score', type: 'DOUBLE', repetition_type: 'REQUIRED' },
    ],
    createdBy: 'kiln',
  });
  // The bytes written since the last take (the writer's buffer is reused from its start).
  const take = (): Buffer => {
    const bytes = Buffer.from(writer.getBytes());
    writer.index = 0;
    return bytes;
  };
  let user: string[] = [];
  let rank: number[] = [];
  let item: string[] = [];
  let score: number[] = [];
  const group = async (): Promise<Buffer> => {
    await parquet.write({
      columnData: [
        { name: 'user', data: user },
        { name: 'rank', data: Int32Array.from(rank) },
        { name: 'item', data: item },
        { name: 'score', data: Float64Array.from(score) },
      ],
      rowGroupSize: user.length,
    });
    user = [];
    rank = [];
    item = [];
    score = [];
    return take();
  };
  for await (const rows of batches) {
    for (const r of rows) {
      for (let k = 0; k < r.items.length; k++) {
        user.push(r.userExternalId);
        rank.push(k + 1);
        item.push(r.items[k] as string);
        score.push(r.scores[k] as number);
      }
    }
    if (user.length >= PARQUET_ROW_GROUP) yield await group();
    else if (writer.index > 0) yield take();
  }
  if (user.length > 0) yield await group();
  await parquet.finish();
  yield take();
}
