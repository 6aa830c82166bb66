// Runs in a worker thread: all TensorFlow.js work of a worker's jobs happens here, one request at
// a time, so the worker's main event loop stays free to renew BullMQ locks and write progress.
// The backend is chosen once per thread and kept for the requests that follow.
import { parentPort } from 'node:worker_threads';
import {
  type BackendPreference,
  backendInfo,
  checkpointMismatch,
  createStepper,
  decodeWeights,
  initBackend,
  loadMamba4Rec,
  readCheckpointHeader,
  resolveMamba4RecConfig,
  scoreTopK,
  trainMamba4Rec,
} from '@kiln/ssm';
import type { ComputeMessage, ComputeRequest } from './compute-protocol.js';

const port = parentPort;
if (!port) throw new Error('compute-thread must run in a worker thread');
const send = (m: ComputeMessage, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

let backend: { prefer: BackendPreference | undefined; name: Promise<string> } | undefined;
function ensureBackend(prefer: BackendPreference | undefined): Promise<string> {
  if (!backend || backend.prefer !== prefer) backend = { prefer, name: initBackend(prefer) };
  return backend.name;
}

/** The running request's abort controller: an `abort` message stops it at its next batch. */
let current: AbortController | undefined;

function abortError(): Error {
  const err = new Error('aborted');
  err.name = 'AbortError';
  return err;
}

async function handle(req: Exclude<ComputeRequest, { op: 'abort' }>, signal: AbortSignal): Promise<void> {
  const name = await ensureBackend(req.backend);
  const { native } = backendInfo();
  send({ type: 'backend', backend: name, native: native.loaded ? { loaded: true } : { loaded: false, ...(native.reason ? { reason: native.reason } : {}) } });
  if (req.op === 'warm') {
    send({ type: 'done' });
    return;
  }
  if (req.op === 'train') {
    const data = { sequences: req.sequences, nItems: req.nItems };
    let resumeFrom = req.resumeFrom;
    if (resumeFrom) {
      const check = checkpointMismatch(resumeFrom, data, req.options);
      if ('reason' in check) {
        send({ type: 'start', resumedFrom: 0, epochs: [], discarded: check.reason });
        resumeFrom = undefined;
      } else {
        send({ type: 'start', resumedFrom: check.epoch, epochs: readCheckpointHeader(resumeFrom).epochs });
      }
    } else {
      send({ type: 'start', resumedFrom: 0, epochs: [] });
    }
    let lastBatch = 0;
    const result = await trainMamba4Rec(data, {
      ...req.options,
      ...(resumeFrom ? { resumeFrom } : {}),
      signal,
      onEpoch: (report) => send({ type: 'epoch', report }),
      onCheckpoint: (epoch, bytes) => send({ type: 'checkpoint', epoch, bytes }, [bytes.buffer as ArrayBuffer]),
      onBatch: (done, total) => {
        const now = performance.now();
        if (now - lastBatch < 1000 && done < total) return;
        lastBatch = now;
        send({ type: 'batch', done, total });
      },
    });
    send({ type: 'done', result });
    return;
  }
  if (req.op === 'prime') {
    const config = resolveMamba4RecConfig(req.config);
    const stepper = createStepper(config, decodeWeights(config, req.weights));
    const t0 = performance.now();
    const { states, hidden } = stepper.prime(req.sequences);
    const seconds = (performance.now() - t0) / 1000;
    send({ type: 'primed', states, hidden, seconds, kernel: stepper.kind }, [states.buffer as ArrayBuffer, hidden.buffer as ArrayBuffer]);
    send({ type: 'done' });
    return;
  }
  const model = loadMamba4Rec(req.config, req.weights);
  try {
    for (let start = 0; start < req.inputs.length; start += req.chunk) {
      // Between chunks the thread reads its messages: an abort stops scoring here.
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (signal.aborted) throw abortError();
      const inputs = req.inputs.slice(start, start + req.chunk);
      const top = scoreTopK(model, inputs, { k: req.k, excludeSeen: req.excludeSeen });
      send({ type: 'scored', users: req.users.slice(start, start + req.chunk), items: top.map((t) => t.items), scores: top.map((t) => t.scores) });
    }
  } finally {
    model.dispose();
  }
  send({ type: 'done' });
}

port.on('message', (req: ComputeRequest) => {
  if (req.op === 'abort') {
    current?.abort();
    return;
  }
  const controller = new AbortController();
  current = controller;
  handle(req, controller.signal)
    .catch((error: unknown) => {
      const e = error as { name?: string; message?: string; code?: string; details?: unknown; stack?: string };
      send({
        type: 'error',
        error: {
          name: e?.name ?? 'Error',
          message: e?.message ?? String(error),
          ...(e?.code ? { code: e.code } : {}),
          ...(e?.details !== undefined ? { details: e.details } : {}),
          ...(e?.stack ? { stack: e.stack } : {}),
        },
      });
    })
    .finally(() => {
      if (current === controller) current = undefined;
    });
});
