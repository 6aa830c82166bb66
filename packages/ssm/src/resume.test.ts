import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './backend.js';
import { DatasetTooSmallError } from './data/errors.js';
import { decodeCheckpoint, encodeCheckpoint, readCheckpointHeader } from './model/checkpoint.js';
import { Rng } from './model/rng.js';
import { CheckpointMismatchError, checkpointMismatch, type EpochReport, type TrainOptions, type TrainResult, trainMamba4Rec } from './train.js';

/** Each user walks the cycle i → i + 1 (mod nItems) from a random start, with 10% random jumps. */
function cycleData(seed: number, users: number, nItems: number): { sequences: Int32Array[]; nItems: number } {
  const rng = new Rng(seed);
  const sequences: Int32Array[] = [];
  for (let u = 0; u < users; u++) {
    const len = 8 + rng.int(16);
    let cur = 1 + rng.int(nItems);
    const seq = new Int32Array(len);
    for (let i = 0; i < len; i++) {
      seq[i] = cur;
      cur = rng.next() < 0.1 ? 1 + rng.int(nItems) : (cur % nItems) + 1;
    }
    sequences.push(seq);
  }
  return { sequences, nItems };
}

/** An epoch report without its timings (the only fields a resumed run may change). */
const figures = (e: EpochReport) => ({ epoch: e.epoch, loss: e.loss, valid: e.valid, lr: e.lr, trainTargets: e.trainTargets });

function expectSameRun(a: TrainResult, b: TrainResult): void {
  expect(a.epochs.map(figures)).toEqual(b.epochs.map(figures));
  expect(a.bestEpoch).toBe(b.bestEpoch);
  expect(a.valid).toEqual(b.valid);
  expect(a.test).toEqual(b.test);
  expect(a.testMasked).toEqual(b.testMasked);
  expect(Buffer.from(a.weights).equals(Buffer.from(b.weights))).toBe(true);
}

/** Trains with `options` and aborts (a crash as far as the run can tell) once the checkpoint of epoch `crashAfter` is out. */
async function crashAfter(data: { sequences: Int32Array[]; nItems: number }, options: TrainOptions, crashAfter: number): Promise<Uint8Array> {
  const controller = new AbortController();
  let last: Uint8Array | undefined;
  const run = trainMamba4Rec(data, {
    ...options,
    signal: controller.signal,
    onCheckpoint: (epoch, bytes) => {
      last = bytes;
      if (epoch === crashAfter) controller.abort();
    },
  });
  await expect(run).rejects.toMatchObject({ name: 'AbortError' });
  expect(last && readCheckpointHeader(last).epoch).toBe(crashAfter);
  return last as Uint8Array;
}

/** The checkpoint of a whole run's last epoch. */
async function lastCheckpoint(data: { sequences: Int32Array[]; nItems: number }, options: TrainOptions): Promise<Uint8Array> {
  const saved: Uint8Array[] = [];
  await trainMamba4Rec(data, { ...options, onCheckpoint: (_epoch, bytes) => void saved.push(bytes) });
  return saved.at(-1) as Uint8Array;
}

const small: TrainOptions = { model: { hiddenSize: 16, dState: 8, maxLen: 12, dropout: 0.2 }, batchSize: 16, seed: 11, lr: 0.004, lrSchedule: 'cosine' };

beforeAll(async () => {
  await initBackend();
});

describe('resumable training', () => {
  it('a run killed after epoch K and resumed from its checkpoint gives the uninterrupted run, epoch by epoch', async () => {
    const data = cycleData(21, 32, 30);
    const options: TrainOptions = { ...small, maxEpochs: 4, patience: 10 };
    const before = tf.memory().numTensors;
    const plain = await trainMamba4Rec(data, options);
    const checkpoints: number[] = [];
    const checkpointed = await trainMamba4Rec(data, { ...options, onCheckpoint: (epoch) => void checkpoints.push(epoch) });
    // Checkpointing changes nothing about the run.
    expectSameRun(checkpointed, plain);
    expect(checkpoints).toEqual([1, 2, 3, 4]);

    const saved = await crashAfter(data, options, 2);
    const ran: number[] = [];
    const resumed = await trainMamba4Rec(data, { ...options, resumeFrom: saved, onEpoch: (e) => void ran.push(e.epoch) });
    expect(ran).toEqual([3, 4]);
    expectSameRun(resumed, plain);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('resumes random batches and the per-prefix objective too, and a resumed run can itself be resumed', async () => {
    const data = cycleData(22, 24, 25);
    const random: TrainOptions = { ...small, batching: 'random', maxEpochs: 3, patience: 10 };
    const plain = await trainMamba4Rec(data, random);
    const first = await crashAfter(data, random, 1);
    const second = await crashAfter(data, { ...random, resumeFrom: first }, 2);
    expectSameRun(await trainMamba4Rec(data, { ...random, resumeFrom: second }), plain);

    const perPrefix: TrainOptions = { ...small, objective: 'per-prefix', lrSchedule: 'constant', maxEpochs: 2, patience: 10 };
    const plainPrefix = await trainMamba4Rec(data, perPrefix);
    expectSameRun(await trainMamba4Rec(data, { ...perPrefix, resumeFrom: await crashAfter(data, perPrefix, 1) }), plainPrefix);
  });

  it('resumes a run that had already stopped early, or finished, straight to the test', async () => {
    const data = cycleData(23, 40, 20);
    // lr 0: validation never improves after epoch 1, so patience 2 stops the run after epoch 3.
    const options: TrainOptions = { ...small, lr: 0, maxEpochs: 10, patience: 2 };
    const saved: Uint8Array[] = [];
    const plain = await trainMamba4Rec(data, { ...options, onCheckpoint: (_epoch, bytes) => void saved.push(bytes) });
    expect(plain.epochs).toHaveLength(3);
    const ran: number[] = [];
    const resumed = await trainMamba4Rec(data, { ...options, resumeFrom: saved[2], onEpoch: (e) => void ran.push(e.epoch) });
    expect(ran).toEqual([]);
    expectSameRun(resumed, plain);
  });

  it('refuses a checkpoint of another run, and says why', async () => {
    const data = cycleData(24, 40, 20);
    const options: TrainOptions = { ...small, maxEpochs: 1 };
    const bytes = await lastCheckpoint(data, options);
    expect(checkpointMismatch(bytes, data, options)).toEqual({ epoch: 1 });
    expect(checkpointMismatch(bytes, data, { ...options, seed: 12 })).toEqual({ reason: 'the checkpoint was taken with another training' });
    expect(checkpointMismatch(bytes, data, { ...options, model: { ...small.model, hiddenSize: 8 } })).toEqual({
      reason: 'the checkpoint was taken with another config',
    });
    const other = { ...data, sequences: data.sequences.map((s, u) => (u === 0 ? s.map((x) => (x % 20) + 1) : s)) };
    expect(checkpointMismatch(bytes, other, options)).toEqual({ reason: 'the checkpoint was taken with another dataset' });
    expect(checkpointMismatch(new Uint8Array(16), data, options)).toMatchObject({ reason: expect.stringContaining('bad magic') });
    await expect(trainMamba4Rec(data, { ...options, seed: 12, resumeFrom: bytes })).rejects.toBeInstanceOf(CheckpointMismatchError);
  });

  it('encodes checkpoints exactly and versions them', async () => {
    const data = cycleData(25, 40, 20);
    const bytes = await lastCheckpoint(data, { ...small, maxEpochs: 2 });
    const decoded = decodeCheckpoint(bytes);
    expect(decoded.epoch).toBe(2);
    expect(decoded.epochs.map((e) => e.epoch)).toEqual([1, 2]);
    expect(decoded.optimizer.t).toBe(decoded.step);
    expect(Buffer.from(encodeCheckpoint(decoded)).equals(Buffer.from(bytes))).toBe(true);
    // Non-finite figures survive the JSON header.
    const odd = {
      ...decoded,
      best: { ...decoded.best, epoch: 0, ndcg: Number.NEGATIVE_INFINITY },
      epochs: [{ ...(decoded.epochs[0] as EpochReport), loss: Number.NaN }],
    };
    const back = decodeCheckpoint(encodeCheckpoint(odd));
    expect(back.best.ndcg).toBe(Number.NEGATIVE_INFINITY);
    expect(back.epochs[0]?.loss).toBeNaN();
    // A newer version is refused with a message that says so.
    const json = new TextDecoder().decode(bytes.subarray(8, 8 + new DataView(bytes.buffer, bytes.byteOffset).getUint32(4, true)));
    const newer = new TextEncoder().encode(json.replace('"version":1', '"version":2'));
    const blob = new Uint8Array(bytes.length);
    blob.set(bytes);
    blob.set(newer, 8);
    expect(() => decodeCheckpoint(blob)).toThrow(/version 2, this build reads version 1/);
    expect(() => decodeCheckpoint(bytes.subarray(0, bytes.length - 4))).toThrow(/truncated/);
  });

  it('fails with KILN_ERR_DATASET_TOO_SMALL, not a NaN loss, on data leave-one-out cannot split', async () => {
    // Two users with 3 items: each has a validation and a test target but a single training item.
    const data = { sequences: [Int32Array.from([1, 2, 3]), Int32Array.from([2, 3, 1])], nItems: 3 };
    const run = trainMamba4Rec(data, { ...small, maxEpochs: 1 });
    await expect(run).rejects.toBeInstanceOf(DatasetTooSmallError);
    await expect(run).rejects.toMatchObject({ code: 'KILN_ERR_DATASET_TOO_SMALL', retryable: false, details: { evaluatedUsers: 2, trainingTargets: 0 } });
    const one = { sequences: [Int32Array.from([1, 2, 3, 1, 2])], nItems: 3 };
    await expect(trainMamba4Rec(one, { ...small, maxEpochs: 1 })).rejects.toMatchObject({ code: 'KILN_ERR_DATASET_TOO_SMALL', details: { evaluatedUsers: 1 } });
  });
});

describe('Rng state', () => {
  it('continues the same stream from a saved state, spare normal included', () => {
    const a = new Rng(5);
    a.normal();
    a.nextUint32();
    const state = a.getState();
    expect(state.spareNormal).toBeTypeOf('number');
    const b = Rng.fromState(state);
    expect([b.normal(), b.nextUint32(), b.next(), b.normal()]).toEqual([a.normal(), a.nextUint32(), a.next(), a.normal()]);
    expect(Array.from(b.dropoutMask(33, 0.3))).toEqual(Array.from(a.dropoutMask(33, 0.3)));
  });
});
