import { createThread } from '@kiln/kernels';
import type { ComputeMessage, ComputeRequest } from './compute-protocol.js';

export class ComputeAborted extends Error {
  override readonly name = 'AbortError';
}

/**
 * Runs one compute request in a fresh worker thread; `onMessage` sees every message (awaited in
 * order). An aborted signal terminates the thread at once. A thread error is rethrown with its
 * name, code and details, so error classification still works across the thread boundary.
 */
export function runCompute(request: ComputeRequest, options: { signal: AbortSignal; onMessage: (m: ComputeMessage) => Promise<void> | void }): Promise<void> {
  if (options.signal.aborted) return Promise.reject(new ComputeAborted('aborted before start'));
  const thread = createThread(new URL('./compute-thread.ts', import.meta.url), { workerData: request });
  return new Promise<void>((resolve, reject) => {
    let chain: Promise<void> = Promise.resolve();
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      options.signal.removeEventListener('abort', onAbort);
      void thread.terminate();
      fn();
    };
    const onAbort = () => settle(() => reject(new ComputeAborted('aborted')));
    options.signal.addEventListener('abort', onAbort, { once: true });
    thread.on('message', (m: ComputeMessage) => {
      chain = chain
        .then(async () => {
          if (settled) return;
          if (m.type === 'error') {
            const err = Object.assign(new Error(m.error.message), {
              name: m.error.name,
              code: m.error.code,
              details: m.error.details,
              threadStack: m.error.stack,
            });
            settle(() => reject(err));
            return;
          }
          await options.onMessage(m);
          if (m.type === 'done') settle(resolve);
        })
        .catch((error) => settle(() => reject(error)));
    });
    thread.on('error', (error) => settle(() => reject(error)));
    // 'exit' can overtake the handling of the last messages: settle only after they are handled.
    thread.on('exit', (code) => {
      void chain.then(() => settle(() => reject(new Error(`compute thread exited with code ${code} before finishing`))));
    });
  });
}
