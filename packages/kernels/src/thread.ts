import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts a worker thread running a module given by URL. TypeScript modules (`.ts`) run through
 * tsx's loader, registered inside the new thread, so the same code works under `tsx`, under vitest
 * and from a plain `node` process; a `.js`/`.mjs` module starts directly.
 */
export function createThread(moduleUrl: URL, options: Omit<WorkerOptions, 'eval'> = {}): Worker {
  if (!moduleUrl.pathname.endsWith('.ts')) return new Worker(moduleUrl, options);
  const api = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(api)}).then(({ register }) => { register(); return import(${JSON.stringify(moduleUrl.href)}); })`;
  return new Worker(boot, { ...options, eval: true });
}
