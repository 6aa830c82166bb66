import type { Job, JobOf, KilnClient } from '@kiln/client';
import { EXIT } from './exit-codes.js';
import { bar, fixed, type Io, note, printJson, seconds, StatusLine } from './output.js';

/**
 * What `--watch` shows for a job: a live line per kind on a terminal, and plain lines at the moments
 * that matter. It follows the job's Server-Sent Events (client.waitFor: every progress report as it
 * happens, a dropped connection resumed with Last-Event-ID), polling every 300 ms only when the API
 * does not stream.
 */
export async function follow(client: KilnClient, id: string, io: Io, signal: AbortSignal): Promise<Job> {
  const status = new StatusLine(io);
  let lastState = '';
  let printedEpoch = 0;
  const t0 = performance.now();
  try {
    return await client.waitFor(id, {
      signal,
      // The poll period when the API does not stream.
      intervalMs: 300,
      onProgress: async (job) => {
        if (job.kind === 'ssm.train') printedEpoch = await trainLines(client, job, io, status, printedEpoch);
        if (job.state !== lastState) {
          status.clear();
          if (lastState !== '' || job.state !== 'waiting') note(io, `${job.kind} ${id}: ${job.state}${job.attempts > 1 ? ` (attempt ${job.attempts})` : ''}`);
          lastState = job.state;
        }
        if (job.kind === 'ssm.train') trainBar(job, status);
        else if (job.kind === 'ssm.score') scoreLine(job, status);
        else if (job.kind === 'ssm.prime') primeLine(job, status);
        else quboLine(job, status, (performance.now() - t0) / 1000);
      },
    });
  } finally {
    status.clear();
  }
}

async function trainLines(client: KilnClient, job: JobOf<'ssm.train'>, io: Io, status: StatusLine, printedEpoch: number): Promise<number> {
  const p = job.progress;
  if (!p) return printedEpoch;
  // Each finished epoch once, as a permanent line; epochs that ended between two polls come from the job's epoch list.
  if (p.epoch > printedEpoch) {
    status.clear();
    const { items } = await client.epochs(job.id);
    for (const e of items) {
      if (e.epoch <= printedEpoch) continue;
      note(
        io,
        `epoch ${e.epoch}/${p.maxEpochs}  loss ${fixed(e.loss)}  valid NDCG@10 ${fixed(e.valid['ndcg@10'])}  HR@10 ${fixed(e.valid['hr@10'])}  ${fixed(e.seconds, 1)} s`,
      );
      printedEpoch = e.epoch;
    }
  }
  return printedEpoch;
}

function trainBar(job: JobOf<'ssm.train'>, status: StatusLine): void {
  const p = job.progress;
  if (p && job.state === 'active') {
    const epoch = Math.min(p.epoch + 1, p.maxEpochs);
    const frac = p.batch !== undefined && p.batches ? p.batch / p.batches : 0;
    const last = p.loss !== undefined ? `  loss ${fixed(p.loss)}  NDCG@10 ${fixed(p.valid?.['ndcg@10'])}` : '';
    status.update(`epoch ${epoch}/${p.maxEpochs} ${bar(frac)} ${p.batch ?? 0}/${p.batches ?? '?'} batches${last}`);
  }
}

function scoreLine(job: JobOf<'ssm.score'>, status: StatusLine): void {
  const p = job.progress;
  if (job.state === 'active' && p) status.update(`scoring ${bar(p.total ? p.done / p.total : 0)} ${p.done}/${p.total} users`);
}

function primeLine(job: JobOf<'ssm.prime'>, status: StatusLine): void {
  const p = job.progress;
  if (job.state === 'active' && p) status.update(`priming ${bar(p.total ? p.done / p.total : 0)} ${p.done}/${p.total} users`);
}

function quboLine(job: JobOf<'qubo.solve'>, status: StatusLine, waited: number): void {
  const p = job.progress;
  if (job.state !== 'active') return;
  const limit = job.payload.params.timeLimitMs;
  const elapsed = p?.elapsedMs ?? 0;
  status.update(`annealing ${bar(elapsed / limit)} ${seconds(elapsed)} / ${seconds(limit)}  best energy ${p ? p.bestEnergy : '-'}  (${waited.toFixed(0)} s)`);
}

/** The exit code of a finished job, after saying how it ended. */
export function outcome(job: Job, io: Io): number {
  if (job.state === 'completed') return EXIT.ok;
  if (!io.json) io.err.write(`kiln: ${job.kind} ${job.id} ${job.state}${job.error ? `: ${job.error.code}: ${job.error.message}` : ''}\n`);
  return EXIT.jobFailed;
}

/** Prints a finished job (the whole job with --json). */
export function printJob(job: Job, io: Io, human: () => void): number {
  if (io.json) printJson(io, job);
  else if (job.state === 'completed') human();
  return outcome(job, io);
}
