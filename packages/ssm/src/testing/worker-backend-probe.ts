/**
 * Run as a script (`node --import tsx worker-backend-probe.ts [--preload]`): starts a worker thread
 * that calls initBackend() and prints `{ backend, native }` as JSON, then exits — the process must
 * survive the thread's exit. With --preload the main thread loads the native addon first.
 */
import { isMainThread, parentPort } from 'node:worker_threads';
import { createThread, loadNative } from '@kiln/kernels';

if (isMainThread) {
  if (process.argv.includes('--preload')) loadNative();
  const worker = createThread(new URL(import.meta.url));
  worker.on('message', (m: unknown) => console.log(JSON.stringify(m)));
  worker.on('error', (e) => {
    console.error(e);
    process.exitCode = 1;
  });
} else {
  const { backendInfo, initBackend } = await import('../backend.js');
  const backend = await initBackend();
  parentPort?.postMessage({ backend, native: backendInfo().native });
}
