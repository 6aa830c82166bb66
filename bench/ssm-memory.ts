/**
 * Measures the peak resident memory of one training run, the way worker-ssm runs it: the native
 * addon loaded by the main thread, trainMamba4Rec in a worker thread. Calibrates @kiln/ssm's
 * `estimateTrainingMemory` (packages/ssm/src/training-memory.ts); one configuration per process:
 *
 *   npx tsx bench/ssm-memory.ts '{"users":1000,"nItems":3416,"meanLength":165,
 *     "model":{"hiddenSize":64},"training":{"batchSize":32,"maxEpochs":1}}'
 *   npx tsx bench/ssm-memory.ts '{"data":"../shared/data/ml-1m/ml-1m.txt","training":{"maxEpochs":3},"checkpoint":true}'
 *
 * Synthetic data: `users` sequences of lengths uniform in [3, 2·meanLength − 3], items uniform in
 * 1..nItems. With `"checkpoint": true` every epoch's checkpoint goes to the main thread, which
 * writes it to a throw-away Postgres database as worker-ssm does. Prints one JSON line: the
 * estimate, the measured peak (VmHWM: the kernel's high-water mark of the whole process) and the
 * RSS of the idle process before the thread started.
 */
import { readFileSync } from 'node:fs';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { createThread, loadNative } from '@kiln/kernels';
import type { ModelConfig, TrainingConfig } from '@kiln/ssm/config';

interface ProbeInput {
  /** Synthetic data's size (with `data`: filled from the file). */
  users: number;
  nItems: number;
  meanLength: number;
  model?: Partial<ModelConfig>;
  training?: Partial<TrainingConfig>;
  seed?: number;
  checkpoint?: boolean;
  /** A sasrec file (`user item` lines) to train on instead of synthetic data (users, nItems, meanLength are then its own). */
  data?: string;
}

const kib = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) * 1024;

if (isMainThread) {
  const input = { users: 0, nItems: 0, meanLength: 0, ...(JSON.parse(process.argv[2] ?? '{}') as Partial<ProbeInput>) };
  loadNative();
  if (input.data) {
    const { createReadStream } = await import('node:fs');
    const { parseInteractions } = await import('@kiln/ssm/data');
    const parsed = await parseInteractions(createReadStream(input.data), { format: 'sasrec', kcore: 5 });
    Object.assign(input, { users: parsed.stats.users, nItems: parsed.stats.items, meanLength: parsed.stats.interactions / parsed.stats.users });
  }
  const { estimateTrainingMemory } = await import('@kiln/ssm/config');
  const idleRss = kib('VmRSS');
  const estimate = estimateTrainingMemory({
    model: input.model ?? {},
    training: input.training ?? {},
    nItems: input.nItems,
    dataset: { users: input.users, interactions: input.users * input.meanLength },
  });
  const started = performance.now();
  const { createSqlPool, saveCheckpoint } = await import('@kiln/db');
  const { createTestDatabase } = await import('@kiln/db/testing');
  const database = input.checkpoint ? await createTestDatabase() : undefined;
  const sql = database ? createSqlPool({ url: database.url, max: 2 }) : undefined;
  let saves = Promise.resolve();
  let checkpointBytes = 0;
  const saveMs: number[] = [];
  const thread = createThread(new URL(import.meta.url), { workerData: input });
  const result = await new Promise<{ backend: string; epochs: number }>((resolve, reject) => {
    thread.on('message', (m: { type: 'checkpoint'; epoch: number; bytes: Uint8Array } | { type: 'done'; backend: string; epochs: number }) => {
      if (m.type === 'done') resolve(m);
      else if (sql) {
        checkpointBytes = m.bytes.length;
        saves = saves.then(async () => {
          const t0 = performance.now();
          await saveCheckpoint(sql, 'probe', m.epoch, m.bytes);
          saveMs.push(Math.round(performance.now() - t0));
        });
      }
    });
    thread.on('error', reject);
  });
  await saves;
  await thread.terminate();
  await sql?.end();
  await database?.drop();
  console.log(
    JSON.stringify({
      ...input,
      backend: result.backend,
      epochs: result.epochs,
      checkpointMB: Math.round((checkpointBytes / 2 ** 20) * 100) / 100,
      ...(saveMs.length ? { checkpointSaveMs: saveMs } : {}),
      seconds: Math.round((performance.now() - started) / 100) / 10,
      idleMB: Math.round(idleRss / 2 ** 20),
      peakMB: Math.round(kib('VmHWM') / 2 ** 20),
      estimateMB: Math.round(estimate.bytes / 2 ** 20),
      parts: Object.fromEntries(Object.entries(estimate.parts).map(([k, v]) => [k, Math.round(v / 2 ** 20)])),
    }),
  );
} else {
  const input = workerData as ProbeInput;
  const { Rng, trainMamba4Rec } = await import('@kiln/ssm');
  const rng = new Rng(input.seed ?? 1);
  let sequences: Int32Array[] = Array.from({ length: input.data ? 0 : input.users }, () => {
    const n = 3 + rng.int(Math.max(1, 2 * input.meanLength - 5));
    return Int32Array.from({ length: n }, () => 1 + rng.int(input.nItems));
  });
  if (input.data) {
    const { createReadStream } = await import('node:fs');
    const { parseInteractions } = await import('@kiln/ssm/data');
    sequences = (await parseInteractions(createReadStream(input.data), { format: 'sasrec', kcore: 5 })).sequences;
  }
  const result = await trainMamba4Rec(
    { sequences, nItems: input.nItems },
    {
      model: input.model ?? {},
      ...input.training,
      ...(input.checkpoint
        ? { onCheckpoint: (epoch: number, bytes: Uint8Array) => parentPort?.postMessage({ type: 'checkpoint', epoch, bytes }, [bytes.buffer as ArrayBuffer]) }
        : {}),
    },
  );
  parentPort?.postMessage({ type: 'done', backend: result.backend, epochs: result.epochs.length });
}
