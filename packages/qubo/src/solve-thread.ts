/**
 * Worker-thread entry of `solve`: runs `anneal` on the thread's share of replicas over the shared
 * CSR and posts progress and the result back. Started by solve() through @kiln/kernels' createThread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { type AnnealRuntime, anneal } from './anneal.js';
import type { AnnealOptions } from './anneal-options.js';
import type { CsrQubo } from './types.js';

export interface SolveThreadData {
  csr: CsrQubo;
  options: Omit<AnnealOptions, 'signal' | 'onProgress'>;
  runtime: AnnealRuntime;
}

export type SolveThreadMessage =
  | { type: 'progress'; elapsedMs: number; bestEnergy: number; sweeps: number }
  | { type: 'result'; result: ReturnType<typeof anneal> }
  | { type: 'error'; error: { name: string; message: string; code?: unknown; details?: unknown; stack?: string } };

const port = parentPort;
if (port) {
  const data = workerData as SolveThreadData;
  try {
    const result = anneal(
      data.csr,
      { ...data.options, onProgress: (p) => port.postMessage({ type: 'progress', ...p } satisfies SolveThreadMessage) },
      data.runtime,
    );
    port.postMessage({ type: 'result', result } satisfies SolveThreadMessage, [result.x.buffer as ArrayBuffer]);
  } catch (error) {
    const e = error as { name?: string; message?: string; code?: unknown; details?: unknown; stack?: string };
    port.postMessage({
      type: 'error',
      error: { name: e?.name ?? 'Error', message: e?.message ?? String(error), code: e?.code, details: e?.details, stack: e?.stack },
    } satisfies SolveThreadMessage);
  }
}
