import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createClient } from '@kiln/client';
import { createSqlPool, type SqlPool } from '@kiln/db';
import { parquetReadObjects } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Platform, startPlatform } from '../helpers.js';
import { kiln as kilnCli } from './kiln-cli.js';

interface Rec {
  user: string;
  items: Array<{ item: string; score: number; rank: number }>;
}

/** A completed ssm.score job row (no worker: the rows are what a worker would have written). */
async function scoringJob(sql: SqlPool, users: number, k: number, name: (u: number) => string): Promise<string> {
  const id = randomUUID();
  await sql.query(
    `INSERT INTO "Job" ("id","kind","queue","state","payload","options","result","attempts","updatedAt","startedAt","finishedAt")
     VALUES ($1,'ssm.score','ssm-score','completed',$2,'{}',$3,1,now(),now(),now())`,
    [
      id,
      JSON.stringify({ version: 1, modelId: randomUUID(), users: 'all', k, excludeSeen: true }),
      JSON.stringify({ modelId: randomUUID(), users, k, excludeSeen: true, seconds: 1 }),
    ],
  );
  const batch = 20_000;
  for (let from = 0; from < users; from += batch) {
    const to = Math.min(users, from + batch);
    const names = Array.from({ length: to - from }, (_, i) => name(from + i));
    // Scores decreasing with rank, with full float64 digits.
    await sql.query(
      `INSERT INTO "Recommendation" ("jobId","userIdx","modelId","userExternalId","items","scores")
       SELECT $1, u, 'm', ($4::text[])[u - $2 + 1],
              ARRAY(SELECT 'i' || ((u * 7 + r) % 5000) FROM generate_series(1, $3::int) r),
              ARRAY(SELECT (1.0 / (r + 1)) + sqrt(u + 2) / 1e4 FROM generate_series(1, $3::int) r)
       FROM generate_series($2::int, $5::int - 1) u`,
      [id, from, k, names, to],
    );
  }
  return id;
}

function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  return rows;
}

/** A full GC (the flag set at run time: vitest's workers do not start with --expose-gc). */
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Long rows (user, rank, item, score) of JSON-shaped recommendations. */
const longRows = (recs: Rec[]) => recs.flatMap((r) => r.items.map((i) => ({ user: r.user, rank: i.rank, item: i.item, score: i.score })));

describe('recommendation exports', () => {
  let p: Platform;
  let sql: SqlPool;
  let jobId: string;
  const awkward = (u: number) => (u % 3 === 0 ? `user "${u}", the ${u}th` : u % 3 === 1 ? `u${u}` : `ü-${u}\nline`);

  beforeAll(async () => {
    p = await startPlatform();
    sql = createSqlPool({ url: p.db.url, max: 2 });
    jobId = await scoringJob(sql, 1234, 5, awkward);
  }, 60_000);
  afterAll(async () => {
    await sql?.end();
    await p?.close();
  });

  async function allPages(limit: number): Promise<Rec[]> {
    const out: Rec[] = [];
    let url: string | null = `/v1/jobs/${jobId}/recommendations?limit=${limit}`;
    let pages = 0;
    while (url) {
      const res = await p.api.inject({ method: 'GET', url });
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json() as { items: Rec[]; next: string | null; nextCursor: string | null };
      out.push(...body.items);
      expect(body.next === null).toBe(body.nextCursor === null);
      url = body.next;
      pages++;
    }
    expect(pages).toBe(Math.ceil(1234 / limit));
    return out;
  }

  it('pages JSON with a cursor and a next link, every user once, in user order', async () => {
    const recs = await allPages(500);
    expect(recs).toHaveLength(1234);
    expect(new Set(recs.map((r) => r.user)).size).toBe(1234);
    expect(recs[0]?.user).toBe(awkward(0));
    expect(recs[1233]?.user).toBe(awkward(1233));
    const one = await p.api.inject({ method: 'GET', url: `/v1/jobs/${jobId}/recommendations?user=${encodeURIComponent(awkward(7))}` });
    expect(one.json()).toMatchObject({ items: [{ user: awkward(7) }], nextCursor: null, next: null });
    const bad = await p.api.inject({ method: 'GET', url: `/v1/jobs/${jobId}/recommendations?cursor=abc` });
    expect(bad.statusCode).toBe(400);
  });

  it('exports CSV, JSONL and Parquet that read back equal to the JSON pages', async () => {
    const json = await allPages(1000);

    const csv = await p.api.inject({ method: 'GET', url: `/v1/jobs/${jobId}/recommendations?format=csv` });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toBe(`attachment; filename="recommendations-${jobId}.csv"`);
    const rows = parseCsv(csv.body);
    expect(rows[0]).toEqual(['user', 'rank', 'item', 'score']);
    expect(rows.slice(1).map(([user, rank, item, score]) => ({ user, rank: Number(rank), item, score: Number(score) }))).toEqual(longRows(json));

    const jsonl = await p.api.inject({ method: 'GET', url: `/v1/jobs/${jobId}/recommendations?format=jsonl` });
    expect(jsonl.headers['content-type']).toBe('application/x-ndjson');
    const lines = jsonl.body.trimEnd().split('\n');
    expect(lines.map((l) => JSON.parse(l))).toEqual(json);

    const parquet = await p.api.inject({ method: 'GET', url: `/v1/jobs/${jobId}/recommendations?format=parquet` });
    expect(parquet.headers['content-type']).toBe('application/vnd.apache.parquet');
    const bytes = parquet.rawPayload;
    const objects = await parquetReadObjects({ file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer });
    expect(objects).toEqual(longRows(json));
  });

  it('streams a 200k-user job over HTTP through the client to files in bounded memory', async () => {
    const big = await scoringJob(sql, 200_000, 10, (u) => `user-${u}`);
    await p.api.listen({ port: 0, host: '127.0.0.1' });
    const address = p.api.server.address() as { port: number };
    const kiln = createClient({ baseUrl: `http://127.0.0.1:${address.port}`, apiKey: p.adminKey });
    const dir = mkdtempSync(join(tmpdir(), 'kiln-exports-'));
    try {
      const report: Record<string, unknown> = {};
      for (const format of ['csv', 'jsonl', 'parquet'] as const) {
        gc();
        const before = process.memoryUsage();
        let rss = before.rss;
        let live = before.heapUsed;
        let ticks = 0;
        // RSS as the OS sees it (V8 keeps freed pages a while), and the live heap after a full GC every 0.2 s.
        const timer = setInterval(() => {
          rss = Math.max(rss, process.memoryUsage().rss);
          if (++ticks % 10 === 0) {
            gc();
            live = Math.max(live, process.memoryUsage().heapUsed);
          }
        }, 20);
        const file = join(dir, `big.${format}`);
        const bytes = await kiln.exportRecommendations(big, format, file);
        clearInterval(timer);
        expect(statSync(file).size).toBe(bytes);
        report[format] = {
          fileMb: +(bytes / 2 ** 20).toFixed(1),
          rssGrowthMb: +((rss - before.rss) / 2 ** 20).toFixed(1),
          liveHeapGrowthMb: +((live - before.heapUsed) / 2 ** 20).toFixed(1),
        };
        // Constant memory: the live heap of the process (API and client both) grows by about one batch
        // or one row group, whatever the job's size (a buffered export would hold the whole file).
        expect(live - before.heapUsed).toBeLessThan(48 * 2 ** 20);
        if (format === 'csv') {
          // The file is whole: 2 M rows (10 per user), the last user's last rank at its end.
          const text = readFileSync(file, 'utf8');
          expect(text.split('\n').length - 2).toBe(2_000_000);
          expect(text.slice(text.lastIndexOf('\n', text.length - 2) + 1)).toMatch(/^user-199999,10,i\d+,0\.\d+\n$/);
        }
      }
      // The CLI streams the same file: kiln recs export JOB --format parquet --out FILE (the small job of the tests above).
      const cli = await kilnCli(`http://127.0.0.1:${address.port}`, p.adminKey, ['recs', 'export', jobId, '--out', join(dir, 'cli.parquet'), '--json']);
      expect(cli.code, cli.err).toBe(0);
      expect(JSON.parse(cli.out)).toMatchObject({ format: 'parquet', users: 1234 });
      const viaApi = (await p.api.inject({ method: 'GET', url: `/v1/jobs/${jobId}/recommendations?format=parquet` })).rawPayload;
      expect(readFileSync(join(dir, 'cli.parquet')).equals(viaApi)).toBe(true);
      console.log(`export of 200k users × 10: ${JSON.stringify(report)}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 600_000);
});
