import type { Worker } from 'node:worker_threads';
import { createThread } from '@kiln/kernels';
import type { BackendPreference } from '@kiln/ssm';
import type { ComputeMessage, ComputeRequest } from './compute-protocol.js';

export class ComputeAborted extends Error {
  override readonly name = 'AbortError';
}

export interface RunOptions {
  signal: AbortSignal;
  /** Sees every message of the request, awaited in order. */
  onMessage: (m: ComputeMessage) => Promise<void> | void;
}

/**
 * Warm compute threads for a worker's jobs. A thread loads TensorFlow.js and picks its backend
 * once, then serves one request after another (starting one costs a second or more: TypeScript,
 * tfjs, the backend probe). An aborted request terminates its thread at once (the thread is not
 * reused); a thread error is rethrown with its name, code and details, so error classification
 * still works across the thread boundary.
 */
export class ComputePool {
  private readonly idle: Worker[] = [];
  private closed = false;

  constructor(private readonly maxIdle = 2) {}

  run(request: ComputeRequest, options: RunOptions): Promise<void> {
    if (options.signal.aborted) return Promise.reject(new ComputeAborted('aborted before start'));
    if (this.closed) return Promise.reject(new Error('compute pool is closed'));
    const thread = this.idle.pop() ?? createThread(new URL('./compute-thread.ts', import.meta.url));
    return new Promise<void>((resolve, reject) => {
      let chain: Promise<void> = Promise.resolve();
      let settled = false;
      const cleanup = () => {
        options.signal.removeEventListener('abort', onAbort);
        thread.off('message', onMessage);
        thread.off('error', onError);
        thread.off('exit', onExit);
      };
      const settle = (ok: boolean, fn: () => void) => {
        if (settled) return;
        settled = true;
        cleanup();
        if (ok && !this.closed && this.idle.length < this.maxIdle) this.idle.push(thread);
        else void thread.terminate();
        fn();
      };
      const onAbort = () => settle(false, () => reject(new ComputeAborted('aborted')));
      const onMessage = (m: ComputeMessage) => {
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
              settle(false, () => reject(err));
              return;
            }
            await options.onMessage(m);
            if (m.type === 'done') settle(true, resolve);
          })
          .catch((error) => settle(false, () => reject(error)));
      };
      const onError = (error: Error) => settle(false, () => reject(error));
      // 'exit' can overtake the handling of the last messages: settle only after they are handled.
      const onExit = (code: number) => {
        void chain.then(() => settle(false, () => reject(new Error(`compute thread exited with code ${code} before finishing`))));
      };
      options.signal.addEventListener('abort', onAbort, { once: true });
      thread.on('message', onMessage);
      thread.on('error', onError);
      thread.on('exit', onExit);
      thread.postMessage(request);
    });
  }

  /** Starts a thread and readies its backend in the background; resolves with the backend chosen. */
  async warm(backend?: BackendPreference): Promise<string> {
    let chosen = 'unknown';
    await this.run(
      { op: 'warm', ...(backend ? { backend } : {}) },
      {
        signal: new AbortController().signal,
        onMessage: (m) => {
          if (m.type === 'backend') chosen = m.backend;
        },
      },
    );
    return chosen;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.idle.splice(0).map((t) => t.terminate()));
  }
}
