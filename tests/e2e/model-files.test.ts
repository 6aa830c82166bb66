import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromSafetensors, type PortableModelConfig, readSafetensorsHeader, SAFETENSORS_CONFIG_KEY, toSafetensors } from '@kiln/ssm/safetensors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSsmWorker } from '../../services/worker-ssm/src/worker.js';
import { get, type Platform, post, quietLog, redisUrl, startPlatform, waitForJob } from '../helpers.js';
import { kiln } from './kiln-cli.js';

/** Users walking a cycle of `items` items from a random start. */
function cyclicCsv(users: number, items: number, length: number, seed: number): string {
  let s = seed;
  const rows = ['user_id,item_id,timestamp'];
  for (let u = 0; u < users; u++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    let item = s % items;
    for (let t = 0; t < length; t++) {
      rows.push(`u${u},item-${item},${u * 100 + t}`);
      item = (item + 1) % items;
    }
  }
  return `${rows.join('\n')}\n`;
}

describe('models out and in: safetensors download and upload', () => {
  let p: Platform;
  let worker: Awaited<ReturnType<typeof startSsmWorker>>;
  let datasetId: string;
  let modelId: string;
  let file: Buffer;
  let downloaded: Buffer;
  let portable: PortableModelConfig;

  const upload = (body: Uint8Array, query = `datasetId=${datasetId}`) =>
    p.api.inject({ method: 'POST', url: `/v1/models?${query}`, payload: Buffer.from(body), headers: { 'content-type': 'application/octet-stream' } });

  async function scoreAll(model: string): Promise<unknown[]> {
    const job = await post(p.api, '/v1/jobs', { kind: 'ssm.score', payload: { modelId: model, users: 'all', k: 5 } });
    expect(job.status, JSON.stringify(job.body)).toBe(201);
    const done = await waitForJob(p.api, job.body.id);
    expect(done.state, JSON.stringify(done.error)).toBe('completed');
    const recs = await get(p.api, `/v1/jobs/${job.body.id}/recommendations?limit=1000`);
    expect(recs.body.next).toBeNull();
    return recs.body.items;
  }

  beforeAll(async () => {
    p = await startPlatform();
    worker = await startSsmWorker({ redisUrl, databaseUrl: p.db.url, prefix: p.prefix, trainConcurrency: 1, scoreConcurrency: 1, log: quietLog });
    const ds = await p.api.inject({
      method: 'POST',
      url: '/v1/datasets?format=csv&name=cycles',
      payload: cyclicCsv(60, 20, 8, 3),
      headers: { 'content-type': 'text/csv' },
    });
    expect(ds.statusCode).toBe(201);
    datasetId = ds.json().id;
    const train = await post(p.api, '/v1/jobs', {
      kind: 'ssm.train',
      payload: { datasetId, name: 'cycles', model: { hiddenSize: 8, maxLen: 8, dState: 4 }, training: { maxEpochs: 2, batchSize: 16, seed: 1 } },
    });
    const job = await waitForJob(p.api, train.body.id);
    expect(job.state, JSON.stringify(job.error)).toBe('completed');
    modelId = job.result.modelId;
  }, 120_000);
  afterAll(async () => {
    await worker?.close();
    await p?.close();
  });

  it('downloads safetensors with the config in __metadata__, and the config alone', async () => {
    const res = await p.api.inject({ method: 'GET', url: `/v1/models/${modelId}/download` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/octet-stream');
    expect(res.headers['content-disposition']).toBe('attachment; filename="cycles-v1.safetensors"');
    file = res.rawPayload;
    downloaded = file;
    const { header, metadata } = readSafetensorsHeader(file);
    portable = JSON.parse(metadata[SAFETENSORS_CONFIG_KEY] as string);
    expect(header.item_embedding).toMatchObject({ dtype: 'F32', shape: [21, 8] });
    expect(Object.keys(header).length).toBe(portable.tensors.length);
    const config = await get(p.api, `/v1/models/${modelId}/download?part=config`);
    expect(config.body).toEqual(portable);
    expect(config.body).toMatchObject({
      architecture: 'Mamba4Rec',
      maxLen: 8,
      config: { nItems: 20, hiddenSize: 8, dState: 4 },
      source: { modelId, name: 'cycles' },
    });
    expect(config.body.items).toHaveLength(20);
  });

  it('a downloaded model uploaded back (as is, and with its item rows in another order) scores identically', async () => {
    const back = await upload(file);
    expect(back.statusCode, back.body).toBe(201);
    expect(back.headers.location).toBe(`/v1/models/${back.json().id}`);
    expect(back.json()).toMatchObject({ name: 'cycles', version: 2, datasetId, backend: 'upload', config: portable.config });

    // The same model with its vocabulary reversed: item r's row moved to position n - 1 - r.
    const n = portable.items.length;
    const reverse = Int32Array.from({ length: n }, (_, r) => n - 1 - r);
    const shuffled = toSafetensors(fromSafetensors(file, portable.config, reverse), {
      ...portable,
      items: Array.from(reverse, (r) => portable.items[r] as string),
    });
    const moved = await upload(shuffled, `datasetId=${datasetId}&name=reversed`);
    expect(moved.statusCode, moved.body).toBe(201);

    const original = await scoreAll(modelId);
    expect(original).toHaveLength(60);
    expect(await scoreAll(back.json().id)).toEqual(original);
    expect(await scoreAll(moved.json().id)).toEqual(original);
  }, 120_000);

  it('refuses files that do not fit their config, naming the tensor', async () => {
    const { metadata } = readSafetensorsHeader(file);
    const kiln = fromSafetensors(file, portable.config);
    // The config says dState 8: x_proj is the first tensor whose shape depends on it.
    const wrong = toSafetensors(kiln, { ...portable, config: { ...portable.config, dState: 8 } });
    const res = await upload(wrong);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'KILN_ERR_VALIDATION', details: { tensor: 'layers.0.mamba.x_proj' } } });
    expect(res.json().error.message).toMatch(/layers\.0\.mamba\.x_proj: shape \[16,9\], the config needs \[16,17\]/);

    // F16 instead of F32.
    const header = JSON.parse(Buffer.from(file.subarray(8, 8 + Number(file.readBigUInt64LE(0)))).toString());
    header['emb_ln.gamma'].dtype = 'F16';
    const json = Buffer.from(JSON.stringify(header));
    const f16 = Buffer.concat([Buffer.alloc(8), json, file.subarray(8 + Number(file.readBigUInt64LE(0)))]);
    f16.writeBigUInt64LE(BigInt(json.length), 0);
    const dtype = await upload(f16);
    expect(dtype.statusCode).toBe(400);
    expect(dtype.json().error).toMatchObject({ details: { tensor: 'emb_ln.gamma' } });
    expect(dtype.json().error.message).toMatch(/dtype F16, needs F32/);

    // Items the dataset does not have; no config at all; not safetensors; an unknown dataset.
    const strangers = toSafetensors(kiln, { ...portable, items: portable.items.map((i) => `x${i}`) });
    expect((await upload(strangers)).json().error.message).toMatch(/not the dataset's 20 items/);
    expect(metadata[SAFETENSORS_CONFIG_KEY]).toBeDefined();
    expect((await upload(Buffer.from('not a model'))).statusCode).toBe(400);
    expect((await upload(file, 'datasetId=00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    expect((await p.api.inject({ method: 'GET', url: '/v1/models/00000000-0000-4000-8000-000000000000/download' })).statusCode).toBe(404);
  });

  it('kiln models download and upload round-trip a model through files', async () => {
    const url = await p.api.listen({ port: 0, host: '127.0.0.1' });
    const dir = mkdtempSync(join(tmpdir(), 'kiln-models-'));
    try {
      const file = join(dir, 'm.safetensors');
      const down = await kiln(url, p.adminKey, ['models', 'download', modelId, '--out', file]);
      expect(down.code, down.err).toBe(0);
      expect(down.out).toMatch(/wrote cycles v1 weights/);
      expect(readFileSync(file).equals(downloaded)).toBe(true);
      const config = await kiln(url, p.adminKey, ['models', 'download', modelId, '--config', '--out', '-']);
      expect(JSON.parse(config.out)).toEqual(portable);
      const up = await kiln(url, p.adminKey, ['models', 'upload', file, '--dataset', datasetId, '--name', 'from-cli', '--json']);
      expect(up.code, up.err).toBe(0);
      expect(JSON.parse(up.out)).toMatchObject({ name: 'from-cli', version: 1, datasetId, backend: 'upload' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
