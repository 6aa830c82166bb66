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

export interface ComputePoolOptions {
  /** Warm threads kept idle, at most (default 2). */
  maxIdle?: number;
  /**
   * How long an aborted request may take to stop by itself (at its next batch) before its thread is
   * terminated and replaced by a fresh warm one (default 1,000 ms).
   */
  abortGraceMs?: number;
}

/** What became of aborted requests and threads (diagnostics and tests). */
export interface ComputePoolStats {
  /** Requests aborted while running. */
  aborted: number;
  /** Of those, stopped by the thread itself within the grace period (the thread stays warm). */
  stoppedInTime: number;
  /** Threads terminated: aborted requests that overran the grace period, failed requests, dead threads. */
  terminated: number;
  /** Fresh threads started (and warmed) in place of terminated ones. */
  replaced: number;
}

interface Warming {
  thread: Promise<Worker | undefined>;
  claimed: boolean;
}

/**
 * Warm compute threads for a worker's jobs. A thread loads TensorFlow.js and picks its backend
 * once, then serves one request after another (starting one costs a second or more: TypeScript,
 * tfjs, the backend probe). An aborted request is first asked to stop (`abort`: training and
 * scoring stop at their next batch, and the thread stays warm); if it has not stopped within
 * `abortGraceMs` (one huge batch can run for many seconds), its thread is terminated and a fresh one
 * is started and warmed in its place. The native addon stays loaded in the process's main thread,
 * so terminating a thread never unloads it (docs/adr/0009). A thread error is rethrown with its
 * name, code and details, so error classification still works across the thread boundary.
 */
export class ComputePool {
  private readonly idle: Worker[] = [];
  private readonly warming: Warming[] = [];
  private readonly maxIdle: number;
  private readonly abortGraceMs: number;
  private closed = false;
  readonly stats: ComputePoolStats = { aborted: 0, stoppedInTime: 0, terminated: 0, replaced: 0 };

  constructor(options: ComputePoolOptions = {}) {
    this.maxIdle = options.maxIdle ?? 2;
    this.abortGraceMs = options.abortGraceMs ?? 1000;
  }

  async run(request: Exclude<ComputeRequest, { op: 'abort' }>, options: RunOptions): Promise<void> {
    if (options.signal.aborted) throw new ComputeAborted('aborted before start');
    if (this.closed) throw new Error('compute pool is closed');
    const thread = this.idle.pop() ?? (await this.claimWarming()) ?? createThread(new URL('./compute-thread.ts', import.meta.url));
    if (options.signal.aborted || this.closed) {
      this.release(thread);
      if (this.closed) throw new Error('compute pool is closed');
      throw new ComputeAborted('aborted before start');
    }
    return new Promise<void>((resolve, reject) => {
      let chain: Promise<void> = Promise.resolve();
      let settled = false;
      let aborting = false;
      let graceTimer: NodeJS.Timeout | undefined;
      const cleanup = () => {
        clearTimeout(graceTimer);
        options.signal.removeEventListener('abort', onAbort);
        thread.off('message', onMessage);
        thread.off('error', onError);
        thread.off('exit', onExit);
      };
      /** Ends the request: the thread goes back to the pool (`keep`) or is terminated and replaced. */
      const settle = (thread_: 'keep' | 'terminate', fn: () => void) => {
        if (settled) return;
        settled = true;
        cleanup();
        if (thread_ === 'keep') this.release(thread);
        else this.terminate(thread, request.backend);
        fn();
      };
      const onAbort = () => {
        this.stats.aborted++;
        aborting = true;
        thread.postMessage({ op: 'abort' } satisfies ComputeRequest);
        graceTimer = setTimeout(() => {
          // Messages already received (a checkpoint) are handled before the job gives up.
          settle('terminate', () => void chain.finally(() => reject(new ComputeAborted('aborted: compute thread terminated'))));
        }, this.abortGraceMs);
      };
      const onMessage = (m: ComputeMessage) => {
        chain = chain
          .then(async () => {
            if (settled) return;
            if (aborting && (m.type === 'error' || m.type === 'done')) {
              // The request stopped (or ended) by itself in time: the thread is still good.
              this.stats.stoppedInTime++;
              settle('keep', () => reject(new ComputeAborted('aborted')));
              return;
            }
            if (m.type === 'error') {
              const err = Object.assign(new Error(m.error.message), {
                name: m.error.name,
                code: m.error.code,
                details: m.error.details,
                threadStack: m.error.stack,
              });
              settle('terminate', () => reject(err));
              return;
            }
            await options.onMessage(m);
            if (m.type === 'done') settle('keep', resolve);
          })
          .catch((error) => settle('terminate', () => reject(error)));
      };
      const onError = (error: Error) => settle('terminate', () => reject(error));
      // 'exit' can overtake the handling of the last messages: settle only after they are handled.
      const onExit = (code: number) => {
        void chain.then(() => settle('terminate', () => reject(new Error(`compute thread exited with code ${code} before finishing`))));
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

  /** Resolves when every replacement thread started so far is warm (or failed). */
  async settled(): Promise<void> {
    await Promise.all(this.warming.map((w) => w.thread));
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.warming.map((w) => w.thread));
    await Promise.all(this.idle.splice(0).map((t) => t.terminate()));
  }

  private release(thread: Worker): void {
    if (!this.closed && this.idle.length < this.maxIdle) this.idle.push(thread);
    else void thread.terminate();
  }

  /** Terminates a thread (a running native kernel finishes its call first; the thread runs no more JavaScript) and warms a fresh one. */
  private terminate(thread: Worker, backend: BackendPreference | undefined): void {
    this.stats.terminated++;
    void thread.terminate();
    if (this.closed) return;
    this.stats.replaced++;
    const entry: Warming = { thread: startWarm(backend), claimed: false };
    this.warming.push(entry);
    void entry.thread.then((fresh) => {
      this.warming.splice(this.warming.indexOf(entry), 1);
      if (fresh && !entry.claimed) this.release(fresh);
    });
  }

  /** A replacement thread still warming up: the next request waits for it rather than starting a cold one. */
  private async claimWarming(): Promise<Worker | undefined> {
    const entry = this.warming.find((w) => !w.claimed);
    if (!entry) return undefined;
    entry.claimed = true;
    return entry.thread;
  }
}

/** A new compute thread with its backend chosen; undefined if it failed to warm (the next request starts its own). */
function startWarm(backend: BackendPreference | undefined): Promise<Worker | undefined> {
  const thread = createThread(new URL('./compute-thread.ts', import.meta.url));
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      thread.off('message', onMessage);
      thread.off('error', onFail);
      thread.off('exit', onFail);
      if (!ok) void thread.terminate();
      resolve(ok ? thread : undefined);
    };
    const onMessage = (m: ComputeMessage) => {
      if (m.type === 'done') done(true);
      else if (m.type === 'error') done(false);
    };
    const onFail = () => done(false);
    thread.on('message', onMessage);
    thread.on('error', onFail);
    thread.on('exit', onFail);
    thread.postMessage({ op: 'warm', ...(backend ? { backend } : {}) } satisfies ComputeRequest);
  });
}
