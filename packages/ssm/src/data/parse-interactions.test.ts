import { existsSync, createReadStream } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DatasetEmptyError, DatasetParseError } from './errors.js';
import { parseInteractions } from './parse-interactions.js';

async function* chunks(text: string, size = Number.POSITIVE_INFINITY, bytes = false): AsyncGenerator<string | Uint8Array> {
  const data = bytes ? new TextEncoder().encode(text) : text;
  for (let i = 0; i < data.length; i += Math.min(size, data.length)) {
    yield data.slice(i, i + size);
  }
}

async function parseError(promise: Promise<unknown>): Promise<DatasetParseError> {
  try {
    await promise;
  } catch (err) {
    return err as DatasetParseError;
  }
  throw new Error('expected a DatasetParseError');
}

function seqs(d: { sequences: Int32Array[]; items: string[] }): string[][] {
  return d.sequences.map((s) => Array.from(s, (i) => d.items[i - 1] as string));
}

describe('parseInteractions', () => {
  it('reads the SASRec format in file order (space or tab separated)', async () => {
    const text = '2 30\n1 10\n1\t5\n2 10\n\n10 7\n';
    const d = await parseInteractions(chunks(text), { format: 'sasrec', kcore: 0 });
    // Users ascending numerically: '1' < '2' < '10'.
    expect(d.users).toEqual(['1', '2', '10']);
    expect(seqs(d)).toEqual([['10', '5'], ['30', '10'], ['7']]);
    // Items numbered by first appearance walking users in order.
    expect(d.items).toEqual(['10', '5', '30', '7']);
    expect(Array.from(d.sequences[0] as Int32Array)).toEqual([1, 2]);
    expect(d.stats).toEqual({ users: 3, items: 4, interactions: 5, rawInteractions: 5, droppedInteractions: 0, kcore: 0 });
  });

  it("reads one user per line (S3Rec's Amazon files), items in file order, like the same data as SASRec pairs", async () => {
    const text = '2 30 10\n1 10 5\n\n10\t7 7 30\n';
    const d = await parseInteractions(chunks(text), { format: 'seq', kcore: 0 });
    expect(d.users).toEqual(['1', '2', '10']);
    expect(seqs(d)).toEqual([
      ['10', '5'],
      ['30', '10'],
      ['7', '7', '30'],
    ]);
    const pairs = await parseInteractions(chunks('2 30\n2 10\n1 10\n1 5\n10 7\n10 7\n10 30\n'), { format: 'sasrec', kcore: 0 });
    expect(seqs(d)).toEqual(seqs(pairs));
    expect(d.stats).toEqual({ users: 3, items: 4, interactions: 7, rawInteractions: 7, droppedInteractions: 0, kcore: 0 });
  });

  it('reads MovieLens ratings.dat, sorting by time with ties broken by item id (numeric)', async () => {
    const text = ['1::20::5::100', '1::3::4::100', '1::100::4::100', '1::7::1::50', '2::b::3::9', '2::a::3::9'].join('\r\n');
    const d = await parseInteractions(chunks(text), { format: 'movielens', kcore: 1 });
    expect(seqs(d)).toEqual([
      ['7', '3', '20', '100'],
      ['a', 'b'],
    ]);
  });

  it('reads RecBole .inter by header names, ignoring extra columns', async () => {
    const text =
      'rating:float\titem_id:token\tuser_id:token\ttimestamp:float\textra:token_seq\n' +
      '5\t11\tu2\t3\tx y\n4\t12\tu1\t2\tz\n3\t13\tu1\t1\t\n2\t14\tu2\t3\tw\n';
    const d = await parseInteractions(chunks(text), { format: 'recbole', kcore: 0 });
    expect(d.users).toEqual(['u1', 'u2']);
    expect(seqs(d)).toEqual([
      ['13', '12'],
      ['11', '14'],
    ]);
  });

  it('reads RecBole .inter without a timestamp in file order', async () => {
    const text = 'user_id:token\titem_id:token\n1\t9\n1\t2\n';
    const d = await parseInteractions(chunks(text), { format: 'recbole', kcore: 0 });
    expect(seqs(d)).toEqual([['9', '2']]);
  });

  it('reads CSV (comma or tab, several header spellings, ISO dates)', async () => {
    const comma = 'userId,movie,itemId,ts\n1,x,5,2024-01-02T00:00:00Z\n1,x,4,2024-01-01\n1,x,6,2024-01-02T00:00:00Z\n';
    const d = await parseInteractions(chunks(comma), { format: 'csv', kcore: 0 });
    expect(seqs(d)).toEqual([['4', '5', '6']]);
    const tab = 'user\titem\n"7"\t"1"\n7\t3\n';
    const t = await parseInteractions(chunks(tab), { format: 'csv', kcore: 0 });
    expect(seqs(t)).toEqual([['1', '3']]);
  });

  it('handles chunks that split lines, CRLF and UTF-8 sequences', async () => {
    const lines = [];
    for (let u = 1; u <= 5; u++) for (let i = 0; i < 6; i++) lines.push(`${u}::é${(u * 7 + i) % 9}::1::${100 - i}`);
    const text = `${lines.join('\r\n')}\r\n`;
    const whole = await parseInteractions(chunks(text), { format: 'movielens', kcore: 0 });
    for (const size of [1, 2, 3, 7, 64]) {
      const split = await parseInteractions(chunks(text, size, true), { format: 'movielens', kcore: 0 });
      expect(seqs(split)).toEqual(seqs(whole));
      expect(split.items).toEqual(whole.items);
    }
    // Timestamps descend within each user, so the sequence is the reverse of the file order.
    expect(seqs(whole)[0]).toEqual(['é3', 'é2', 'é1', 'é0', 'é8', 'é7']);
  });

  it('applies the k-core filter until stable', async () => {
    // k = 2. Item 9 appears once → dropped; then user c has one interaction left → dropped;
    // then item 3 (used by c and a) has one left → dropped; a keeps 1, 2; b keeps 1, 2.
    const rows = ['a 1', 'a 2', 'a 3', 'b 1', 'b 2', 'c 3', 'c 9'];
    const d = await parseInteractions(chunks(rows.join('\n')), { format: 'sasrec', kcore: 2 });
    expect(d.users).toEqual(['a', 'b']);
    expect(seqs(d)).toEqual([
      ['1', '2'],
      ['1', '2'],
    ]);
    expect(d.stats).toMatchObject({ users: 2, items: 2, interactions: 4, rawInteractions: 7, droppedInteractions: 3, kcore: 2 });
    // Default k = 5 removes everything here.
    const err = await parseError(parseInteractions(chunks(rows.join('\n')), { format: 'sasrec' }));
    expect(err).toBeInstanceOf(DatasetEmptyError);
    expect(err.code).toBe('KILN_ERR_DATASET_EMPTY');
  });

  it.each([
    ['sasrec', '1 2\n1 2 3\n', 2, /expected 2 fields/],
    ['seq', '1 2 3\n4\n', 2, /expected "user item item/],
    ['movielens', '1::2::3::4\n\n1::2::3::x\n', 3, /timestamp "x" is not a number/],
    ['movielens', '1::2::3::4\n::2::3::4\n', 2, /empty user id/],
    ['recbole', 'user_id:token\titem_id:token\ttimestamp:float\n1\t2\t3\n1\t2\n', 3, /expected 3 fields, found 2/],
    ['recbole', 'uid:token\titem_id:token\n1\t2\n', 1, /header must name/],
    ['csv', 'user,item,timestamp\n1,2,3\n1,,4\n', 3, /empty item id/],
    ['csv', 'user,item,timestamp\n1,2,yesterday\n', 2, /timestamp "yesterday"/],
  ] as const)('rejects a malformed %s row with its line number', async (format, text, line, message) => {
    const err = await parseError(parseInteractions(chunks(text), { format, kcore: 0 }));
    expect(err).toBeInstanceOf(DatasetParseError);
    expect(err.name).toBe('DatasetParseError');
    expect(err.code).toBe('KILN_ERR_DATASET_PARSE');
    expect(err.line).toBe(line);
    expect(err.message).toContain(`line ${line}`);
    expect(err.message).toMatch(message);
  });

  it('rejects an empty file', async () => {
    const err = await parseError(parseInteractions(chunks(''), { format: 'sasrec' }));
    expect(err.code).toBe('KILN_ERR_DATASET_PARSE');
    const headerOnly = await parseError(parseInteractions(chunks('user,item\n\n'), { format: 'csv' }));
    expect(headerOnly.code).toBe('KILN_ERR_DATASET_PARSE');
  });

  const ml100k = '/work/shared/data/ml-100k/ml-100k.inter';
  it.skipIf(!existsSync(ml100k))('reads the real ml-100k.inter', async () => {
    const d = await parseInteractions(createReadStream(ml100k), { format: 'recbole', kcore: 0 });
    expect(d.stats.rawInteractions).toBe(100000);
    expect(d.stats.users).toBe(943);
    expect(d.stats.items).toBe(1682);
  });
});
