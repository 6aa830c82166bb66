import { loadNative } from '@kiln/kernels';
import { Rng } from '@kiln/ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ComputeMessage, ComputeRequest } from './compute-protocol.js';
import { ComputeAborted, ComputePool } from './run-compute.js';

function sequences(users: number, length: number, nItems: number, seed: number): Int32Array[] {
  const rng = new Rng(seed);
  return Array.from({ length: users }, () => Int32Array.from({ length }, () => 1 + rng.int(nItems)));
}

/** One batch of 64 windows × 200 positions over a softmax of 50,000 items: seconds per batch. */
const slowTrain: ComputeRequest = {
  op: 'train',
  sequences: sequences(64, 202, 50_000, 1),
  nItems: 50_000,
  options: { model: { hiddenSize: 256, maxLen: 200 }, batchSize: 64, maxEpochs: 5, patience: 5 },
};

/** Many quick batches (8 windows of ≤ 12 positions each). */
const quickTrain: ComputeRequest = {
  op: 'train',
  sequences: sequences(80, 14, 30, 2),
  nItems: 30,
  options: { model: { hiddenSize: 8, dState: 4, maxLen: 12 }, batchSize: 8, maxEpochs: 200, patience: 200 },
};

/** Runs `request` and aborts it when `when` sees the message it waits for. */
async function runAndAbort(pool: ComputePool, request: ComputeRequest & { op: 'train' }, when: (m: ComputeMessage) => boolean) {
  const controller = new AbortController();
  const seen: string[] = [];
  const run = pool.run(request, {
    signal: controller.signal,
    onMessage: (m) => {
      seen.push(m.type);
      if (when(m)) controller.abort();
    },
  });
  await expect(run).rejects.toBeInstanceOf(ComputeAborted);
  return seen;
}

describe('ComputePool: cancelling a computation', () => {
  let pool: ComputePool;
  beforeAll(async () => {
    // As worker-ssm does: the addon belongs to the main thread, so a terminated thread cannot unload it (ADR 9).
    loadNative();
    pool = new ComputePool({ maxIdle: 1 });
    await pool.warm();
  });
  afterAll(async () => {
    await pool?.close();
  });

  it('stops a training run at its next batch and keeps the thread warm', async () => {
    const seen = await runAndAbort(pool, quickTrain, (m) => m.type === 'epoch');
    expect(seen).toContain('epoch');
    expect(pool.stats).toMatchObject({ aborted: 1, stoppedInTime: 1, terminated: 0, replaced: 0 });
  });

  it('terminates a thread stuck in one long batch, replaces it with a warm one, and serves the next request', async () => {
    const seen = await runAndAbort(pool, slowTrain, (m) => m.type === 'start');
    // Aborted during the first batch: no epoch finished, the grace period ran out, the thread was terminated.
    expect(seen).not.toContain('epoch');
    expect(pool.stats).toMatchObject({ aborted: 2, stoppedInTime: 1, terminated: 1, replaced: 1 });
    // The next request runs on the replacement.
    let result: unknown;
    await pool.run(
      { ...quickTrain, options: { ...quickTrain.options, maxEpochs: 1 } },
      {
        signal: new AbortController().signal,
        onMessage: (m) => {
          if (m.type === 'done') result = m.result;
        },
      },
    );
    expect(result).toMatchObject({ epochs: [{ epoch: 1 }] });
    expect(pool.stats.terminated).toBe(1);
  });
});
