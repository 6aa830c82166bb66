import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startQuboWorker } from '../../../services/worker-qubo/src/worker.js';
import { type Platform, quietLog, redisUrl, startPlatform } from '../../../tests/helpers.js';
import { createClient, type KilnClient, KilnApiError, KilnConnectionError } from './index.js';
import { renderClientTypes, renderOpenApi } from '../../../scripts/openapi-render.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

describe('@kiln/client', () => {
  it('is typed by the current OpenAPI document (docs/openapi.json and src/generated are fresh: else run `npm run gen:client`)', async () => {
    const doc = await renderOpenApi();
    expect(readFileSync(`${root}docs/openapi.json`, 'utf8'), 'docs/openapi.json is stale: npm run gen:client').toBe(doc);
    expect(readFileSync(`${root}packages/client/src/generated/openapi.ts`, 'utf8'), 'the client types are stale: npm run gen:client').toBe(
      await renderClientTypes(doc),
    );
  });

  describe('against the real API and a qubo worker', () => {
    let p: Platform;
    let worker: { close(): Promise<void> };
    let kiln: KilnClient;
    beforeAll(async () => {
      p = await startPlatform();
      const url = await p.api.listen({ port: 0, host: '127.0.0.1' });
      worker = await startQuboWorker({ redisUrl, databaseUrl: p.db.url, prefix: p.prefix, concurrency: 1, threads: 1, log: quietLog });
      kiln = createClient({ baseUrl: url, apiKey: p.adminKey });
    });
    afterAll(async () => {
      await worker?.close();
      await p?.close();
    });

    it('uploads with progress, submits, follows a job to its typed result', async () => {
      const sent: number[] = [];
      const graph = '4 4\n1 2 1\n2 3 1\n3 4 1\n4 1 1\n'; // a 4-cycle: max cut 4
      const up = await kiln.uploadQuboProblems(graph, { format: 'gset', name: 'c4' }, { onProgress: (n) => sent.push(n) });
      expect(up).toMatchObject({ name: 'c4', kind: 'maxcut', n: 4, count: 1 });
      expect(sent.at(-1)).toBe(graph.length);

      const { id } = await kiln.submit(
        { kind: 'qubo.solve', payload: { problemId: up.id, params: { timeLimitMs: 2000, target: -4 } } },
        { idempotencyKey: `c4-${up.id}` },
      );
      const states: string[] = [];
      const job = await kiln.waitFor(id, { intervalMs: 50, onProgress: (j) => void states.push(j.state) });
      expect(job.state).toBe('completed');
      expect(states.at(-1)).toBe('completed');
      if (job.kind !== 'qubo.solve') throw new Error(`unexpected kind ${job.kind}`);
      expect(job.result).toMatchObject({ value: 4, energy: -4, feasible: true });
      expect(job.payload.params).toMatchObject({ mode: 'auto', seed: 1, restarts: true, timeLimitMs: 2000, target: -4 });
      // The same key and request: the same job.
      expect(
        (await kiln.submit({ kind: 'qubo.solve', payload: { problemId: up.id, params: { timeLimitMs: 2000, target: -4 } } }, { idempotencyKey: `c4-${up.id}` }))
          .id,
      ).toBe(id);
      expect((await kiln.getQuboSolution(id)).assignment).toMatch(/^(1010|0101)$/);
    });

    it('throws KilnApiError with the code, status and the fields a 400 names', async () => {
      const missing = await kiln.getJob('no-such-job').catch((e: unknown) => e);
      expect(missing).toBeInstanceOf(KilnApiError);
      expect(missing).toMatchObject({ status: 404, code: 'KILN_ERR_NOT_FOUND' });
      const bad = await kiln
        .submit({ kind: 'qubo.solve', payload: { problem: { n: 2, terms: [[0, 1, 1]] }, params: { mode: 'fast' as 'sa' } } })
        .catch((e: unknown) => e);
      expect(bad).toMatchObject({ status: 400, code: 'KILN_ERR_PAYLOAD_INVALID' });
      expect((bad as KilnApiError).issues.some((i) => i.startsWith('payload.params.mode:'))).toBe(true);
    });

    it('throws KilnConnectionError when nothing answers', async () => {
      const down = createClient({ baseUrl: 'http://127.0.0.1:9' });
      await expect(down.listJobs()).rejects.toBeInstanceOf(KilnConnectionError);
      await expect(down.uploadDataset('1 1\n', { format: 'sasrec', name: 'x' })).rejects.toBeInstanceOf(KilnConnectionError);
    });
  });
});
