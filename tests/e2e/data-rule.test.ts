import { dataRule, lengthPercentile99 } from '@kiln/ssm/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, type Platform, post, startPlatform } from '../helpers.js';

/** A sparse data set: `users` users with 4..12 items each (lengths from a small LCG), over 80 items. */
function sparseSeq(users: number): { text: string; lengths: number[] } {
  let s = 12345;
  const next = () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
  const lengths: number[] = [];
  const lines: string[] = [];
  for (let u = 1; u <= users; u++) {
    const n = 4 + Math.floor(next() * 9);
    lengths.push(n);
    lines.push([`u${u}`, ...Array.from({ length: n }, () => `i${1 + Math.floor(next() * 80)}`)].join(' '));
  }
  return { text: `${lines.join('\n')}\n`, lengths };
}

describe("the default preset takes maxLen, dropout, batchSize and maxEpochs from the data's shape", () => {
  let p: Platform;
  let datasetId: string;
  let lengths: number[];
  let summary: { users: number; items: number; interactions: number };
  beforeAll(async () => {
    p = await startPlatform();
    const data = sparseSeq(400);
    lengths = data.lengths;
    const up = await p.api.inject({
      method: 'POST',
      url: '/v1/datasets?format=seq&name=sparse&kcore=0',
      payload: data.text,
      headers: { 'content-type': 'text/plain' },
    });
    expect(up.statusCode).toBe(201);
    summary = up.json();
    datasetId = up.json().id;
  });
  afterAll(async () => {
    await p?.close();
  });

  const payloadOf = async (body: Record<string, unknown>) => {
    const res = await post(p.api, '/v1/jobs', { kind: 'ssm.train', payload: { datasetId, ...body } });
    expect(res.status).toBe(201);
    const job = await get(p.api, `/v1/jobs/${res.body.id}`);
    await post(p.api, `/v1/jobs/${res.body.id}/cancel`, {});
    return job.body.payload;
  };

  it('fills the rule for the uploaded data (its 99th percentile counted in Postgres) and the rest from the preset', async () => {
    expect(summary.interactions).toBe(lengths.reduce((a, b) => a + b, 0));
    const rule = dataRule({ users: summary.users, items: summary.items, interactions: summary.interactions, lengthP99: lengthPercentile99(lengths) });
    const payload = await payloadOf({});
    expect(payload.model).toMatchObject(rule.model);
    expect(payload.training).toMatchObject(rule.training);
    // Sparse: 6 training items per user on average, so large batches and the sparse settings.
    expect(payload.training.batchSize).toBeGreaterThan(32);
    expect(payload.model.maxLen).toBe(50);
  });

  it("keeps a request's own fields, and leaves the paper's preset as the paper ran it", async () => {
    const own = await payloadOf({ model: { maxLen: 20, dropout: 0.3 }, training: { batchSize: 64 } });
    expect(own.model).toMatchObject({ maxLen: 20, dropout: 0.3 });
    expect(own.training.batchSize).toBe(64);
    const paper = await payloadOf({ preset: 'paper' });
    expect(paper.model).toMatchObject({ maxLen: 200, dropout: 0.2 });
    expect(paper.training).toMatchObject({ batchSize: 256, maxEpochs: 300, lr: 1e-3, lrSchedule: 'constant' });
  });
});
