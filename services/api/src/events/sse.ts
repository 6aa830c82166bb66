import { PassThrough } from 'node:stream';
import type { JobEvent } from '@kiln/queue';

/** One SSE frame: an event the client sees as `event`, its JSON `data`, and an `id` to resume after. */
export interface SseFrame {
  id?: string;
  event: string;
  data: unknown;
}

/** The JSON an event's `data:` line carries: the job, when (from the stream id), and what the event says. */
export function frameOf(e: JobEvent): SseFrame {
  const ms = Number(e.id.split('-')[0]);
  return { id: e.id, event: e.type, data: { jobId: e.jobId, kind: e.kind, at: new Date(ms).toISOString(), ...e.data } };
}

/** The headers of an event stream. */
export const sseHeaders = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  // nginx and similar proxies: do not buffer the stream.
  'x-accel-buffering': 'no',
};

/**
 * A text/event-stream body (`body`, sent with `reply.send`: Fastify pipes it and destroys it when
 * the client goes): frames, comment heartbeats every `heartbeatMs` (proxies and load balancers
 * close idle connections), and `end()`. Writes honour backpressure (`send` resolves once the
 * socket takes more).
 */
export class SseStream {
  readonly body = new PassThrough();
  closed = false;
  private readonly timer: NodeJS.Timeout;
  private readonly closers = new Set<() => void>();

  constructor(heartbeatMs: number, onHeartbeat?: () => void) {
    // The reconnect delay EventSource uses after a dropped connection.
    this.body.write('retry: 2000\n\n');
    this.timer = setInterval(() => {
      if (this.closed) return;
      this.body.write(': heartbeat\n\n');
      onHeartbeat?.();
    }, heartbeatMs);
    this.timer.unref();
    this.body.on('close', () => this.finish());
    this.body.on('error', () => this.finish());
  }

  /** Called once when the stream ends (either side). */
  onClose(fn: () => void): void {
    if (this.closed) fn();
    else this.closers.add(fn);
  }

  async send(frame: SseFrame): Promise<void> {
    if (this.closed) return;
    const text = `${frame.id ? `id: ${frame.id}\n` : ''}event: ${frame.event}\ndata: ${JSON.stringify(frame.data)}\n\n`;
    if (!this.body.write(text)) await new Promise<void>((resolve) => this.body.once('drain', resolve).once('close', resolve));
  }

  end(): void {
    if (!this.closed) this.body.end();
    this.finish();
  }

  private finish(): void {
    if (this.closed && this.closers.size === 0) return;
    this.closed = true;
    clearInterval(this.timer);
    for (const fn of this.closers) fn();
    this.closers.clear();
  }
}
