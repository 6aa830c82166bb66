/**
 * Mamba4Rec end to end on the tensor backend Kiln picks (the `kiln` native backend when its addon
 * is built): trains with the same defaults as an `ssm.train` job (TRAINING_DEFAULTS) IN A WORKER THREAD while the main thread
 * measures its own event-loop delay, then scores every user (full ranking, top-10, seen items
 * excluded) in the same thread. Prints figures only; never asserts a time.
 *
 *   npm run bench:ssm -- --data ../shared/data/ml-1m/ml-1m.txt --epochs 1
 *     [--max-targets N] [--backend kiln|tensorflow|wasm|cpu] [--seed N] [--k 10]
 *     [--batching length|random] [--batch-size N]
 *
 * Any SASRec-format file (`user item` per line, in time order) works. With --max-targets N each
 * epoch trains only its first N targets and the full epoch is EXTRAPOLATED from that prefix (said
 * on every line that uses it; the JSON line then carries the extrapolated figure). With several
 * epochs, the per-epoch figures are means. Peak RSS covers the whole process (main + thread): the maximum of
 * RSS sampled every 50 ms and the kernel's high-water mark (VmHWM). The last line is one JSON object.
 */
import { createReadStream, readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { createThread, loadNative } from '@kiln/kernels';
import type { BackendPreference, EpochReport } from '@kiln/ssm';

interface BenchOptions {
  data: string;
  epochs: number;
  maxTargets?: number;
  backend?: BackendPreference;
  seed?: number;
  k: number;
  batching?: 'length' | 'random';
  batchSize?: number;
}

type FromThread =
  | { type: 'ready'; backend: string; native: { loaded: boolean; path?: string; reason?: string }; users: number; items: number; totalTargets: number }
  | { type: 'epoch'; report: EpochReport }
  | { type: 'trained'; seconds: number }
  | { type: 'scored'; users: number; seconds: number }
  | { type: 'error'; message: string; stack?: string };

if (isMainThread) await main();
else await thread(workerData as BenchOptions);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      data: { type: 'string' },
      epochs: { type: 'string', default: '1' },
      'max-targets': { type: 'string' },
      backend: { type: 'string' },
      seed: { type: 'string' },
      k: { type: 'string', default: '10' },
      batching: { type: 'string' },
      'batch-size': { type: 'string' },
    },
  });
  if (values.data === undefined) {
    console.error('usage: npm run bench:ssm -- --data <sasrec file> [--epochs 1] [--max-targets N] [--backend kiln|tensorflow|wasm|cpu]');
    process.exit(2);
  }
  const options: BenchOptions = {
    data: values.data,
    epochs: Number(values.epochs),
    maxTargets: values['max-targets'] === undefined ? undefined : Number(values['max-targets']),
    backend: values.backend as BackendPreference | undefined,
    seed: values.seed === undefined ? undefined : Number(values.seed),
    k: Number(values.k),
    batching: values.batching as BenchOptions['batching'],
    batchSize: values['batch-size'] === undefined ? undefined : Number(values['batch-size']),
  };

  // The main thread only moves messages: its event-loop delay is what a BullMQ worker would see.
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 50);

  // Load the addon in the main thread too, so that it stays mapped when the worker thread exits:
  // unloaded under libgomp's still-running pool threads, it crashes the process (SIGSEGV).
  loadNative();
  const worker = createThread(new URL(import.meta.url), { workerData: options });
  let backend = '';
  let totalTargets = 0;
  const epochs: EpochReport[] = [];
  let scored: { users: number; seconds: number } | undefined;
  await new Promise<void>((resolve, reject) => {
    worker.on('message', (m: FromThread) => {
      if (m.type === 'ready') {
        backend = m.backend;
        totalTargets = m.totalTargets;
        const native = m.native.loaded ? `native addon ${m.native.path}` : `native addon NOT in use: ${m.native.reason}`;
        console.log(`backend ${backend} (${native}); ${m.users} users, ${m.items} items, ${totalTargets} training targets per epoch`);
      } else if (m.type === 'epoch') {
        epochs.push(m.report);
        const e = m.report;
        const scale = totalTargets / Math.max(1, e.trainTargets);
        const extrapolated = scale > 1.0001;
        console.log(
          `epoch ${e.epoch}: loss ${e.loss.toFixed(4)}; train ${e.trainSeconds.toFixed(2)} s for ${e.trainTargets} targets` +
            (extrapolated ? ` → full epoch ≈ ${(e.trainSeconds * scale).toFixed(2)} s (EXTRAPOLATED)` : '') +
            `; validation ${e.validSeconds.toFixed(2)} s; valid NDCG@10 ${(e.valid['ndcg@10'] ?? 0).toFixed(4)} HR@10 ${(e.valid['hr@10'] ?? 0).toFixed(4)}`,
        );
      } else if (m.type === 'trained') {
        console.log(`training done (${m.seconds.toFixed(1)} s in the thread, with the final test evaluation)`);
      } else if (m.type === 'scored') {
        scored = m;
        console.log(`scored ${m.users} users (top-${options.k}, full ranking, seen items excluded) in ${m.seconds.toFixed(2)} s`);
      } else if (m.type === 'error') {
        reject(new Error(`bench thread: ${m.message}\n${m.stack ?? ''}`));
      }
    });
    worker.on('error', reject);
    worker.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`bench thread exited with code ${code}`))));
  });
  clearInterval(sampler);
  delay.disable();
  peakRss = Math.max(peakRss, process.memoryUsage().rss, vmHwmBytes());

  if (epochs.length === 0 || scored === undefined) throw new Error('the bench thread finished without an epoch or a scoring pass');
  // Per-epoch figures are means over the epochs run (each extrapolated to all targets with --max-targets).
  const mean = (f: (e: EpochReport) => number) => epochs.reduce((s, e) => s + f(e), 0) / epochs.length;
  const measured = Math.min(...epochs.map((e) => e.trainTargets));
  const extrapolated = measured < totalTargets;
  const epochSeconds = mean((e) => (e.trainSeconds * totalTargets) / Math.max(1, e.trainTargets));
  const validSeconds = mean((e) => e.validSeconds);
  const usersPerSecond = scored.users / scored.seconds;
  const p99 = delay.percentile(99) / 1e6;
  console.log(
    `train ${epochSeconds.toFixed(2)} s per epoch${extrapolated ? ` (EXTRAPOLATED from ${measured} of ${totalTargets} targets)` : ''}` +
      `${epochs.length > 1 ? ` (mean of ${epochs.length} epochs)` : ''}; validation ${validSeconds.toFixed(2)} s; scoring ${usersPerSecond.toFixed(0)} users/s; ` +
      `main event loop delay p99 ${p99.toFixed(1)} ms (max ${(delay.max / 1e6).toFixed(1)} ms); peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MB; backend ${backend}`,
  );
  console.log(
    JSON.stringify({
      bench: 'ssm',
      epoch_seconds: round(epochSeconds),
      val_seconds: round(validSeconds),
      score_users_per_s: round(usersPerSecond, 1),
      event_loop_p99_ms: round(p99),
      peak_rss_mb: Math.round(peakRss / 2 ** 20),
      backend,
    }),
  );
}

/** Runs in the worker thread: all TensorFlow.js work. */
async function thread(options: BenchOptions): Promise<void> {
  const port = parentPort;
  if (port === null) throw new Error('not in a worker thread');
  const send = (m: FromThread) => port.postMessage(m);
  try {
    const { backendInfo, initBackend, loadMamba4Rec, parseInteractions, scoreTopK, trainingTargetsPerEpoch, trainMamba4Rec } = await import('@kiln/ssm');
    const backend = await initBackend(options.backend);
    const data = await parseInteractions(createReadStream(options.data), { format: 'sasrec' });
    const nItems = data.stats.items;
    const totalTargets = trainingTargetsPerEpoch({ sequences: data.sequences, nItems }, { maxLen: 200 });
    send({ type: 'ready', backend, native: backendInfo().native, users: data.stats.users, items: nItems, totalTargets });

    const t0 = performance.now();
    const result = await trainMamba4Rec(
      { sequences: data.sequences, nItems },
      {
        maxEpochs: options.epochs,
        patience: Number.MAX_SAFE_INTEGER,
        seed: options.seed,
        maxTrainTargets: options.maxTargets,
        batching: options.batching,
        batchSize: options.batchSize,
        onEpoch: (report) => send({ type: 'epoch', report }),
      },
    );
    send({ type: 'trained', seconds: (performance.now() - t0) / 1000 });

    const model = loadMamba4Rec(result.config, result.weights);
    try {
      const t1 = performance.now();
      const top = scoreTopK(model, data.sequences, { k: options.k, excludeSeen: true });
      send({ type: 'scored', users: top.length, seconds: (performance.now() - t1) / 1000 });
    } finally {
      model.dispose();
    }
  } catch (error) {
    const e = error as Error;
    send({ type: 'error', message: e?.message ?? String(error), stack: e?.stack });
  }
}

/** The process's peak resident set (VmHWM), in bytes; 0 where /proc is missing. */
function vmHwmBytes(): number {
  try {
    const m = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

function round(x: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
