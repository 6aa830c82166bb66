import { createHmac, timingSafeEqual } from 'node:crypto';

/** One Server-Sent Event: its type (`message` when unnamed), its data, and the last id seen on the stream. */
export interface SseMessage {
  event: string;
  data: string;
  id: string | undefined;
}

/**
 * Parses a text/event-stream body as the HTML standard says: lines end in CRLF, LF or CR; `data:`
 * lines join with LF; a blank line dispatches; comment lines (`:`, heartbeats) are skipped; `id`
 * persists until changed. Yields each event as it arrives.
 */
export async function* parseEventStream(body: ReadableStream<Uint8Array>, signal?: AbortSignal): AsyncGenerator<SseMessage> {
  const decoder = new TextDecoder();
  const reader = body.getReader();
  const onAbort = () => void reader.cancel().catch(() => undefined);
  signal?.addEventListener('abort', onAbort, { once: true });
  let buffer = '';
  let event = '';
  let data: string[] = [];
  let id: string | undefined;
  let first = true;
  // Splits off every complete line; a lone CR at the end may be the first half of a CRLF, unless the stream has ended.
  function* lines(eof: boolean): Generator<SseMessage> {
    for (;;) {
      const m = /\r\n|\n|\r/.exec(buffer);
      if (!m || (!eof && m[0] === '\r' && m.index === buffer.length - 1)) return;
      const line = buffer.slice(0, m.index);
      buffer = buffer.slice(m.index + m[0].length);
      if (line === '') {
        if (data.length > 0) yield { event: event || 'message', data: data.join('\n'), id };
        event = '';
        data = [];
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      let value = colon === -1 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
      else if (field === 'id' && !value.includes('\0')) id = value;
    }
  }
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        buffer += decoder.decode();
        yield* lines(true);
        return;
      }
      buffer += decoder.decode(value, { stream: true });
      if (first && buffer.length > 0) {
        if (buffer.charCodeAt(0) === 0xfeff) buffer = buffer.slice(1);
        first = false;
      }
      yield* lines(false);
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    reader.releaseLock();
  }
}

/**
 * Checks a Kiln webhook delivery: `header` is its `Kiln-Signature` (`t=<unix>,v1=<hex>`), `body`
 * the raw request body (as received, before any JSON parsing), `secret` the webhook's (or the key's
 * callback secret). True when one `v1` is the HMAC-SHA256 of `"<t>.<body>"` and `t` is within
 * `toleranceS` seconds of now (default 300; 0: any age), which bounds replays.
 *
 * ```ts
 * if (!verifyWebhookSignature(secret, req.headers['kiln-signature'], rawBody)) return res.writeHead(400).end();
 * ```
 */
export function verifyWebhookSignature(
  secret: string,
  header: string | undefined | null,
  body: string | Uint8Array,
  toleranceS = 300,
  nowS = Date.now() / 1000,
): boolean {
  if (!header) return false;
  let t: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    const k = part.slice(0, eq).trim();
    const v = part.slice(eq + 1).trim();
    if (k === 't' && /^\d{1,12}$/.test(v)) t = Number(v);
    else if (k === 'v1' && /^[0-9a-f]{64}$/i.test(v)) signatures.push(v.toLowerCase());
  }
  if (t === undefined || signatures.length === 0) return false;
  if (toleranceS > 0 && Math.abs(nowS - t) > toleranceS) return false;
  const payload = typeof body === 'string' ? Buffer.from(body) : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const expected = createHmac('sha256', secret).update(`${t}.`).update(payload).digest();
  return signatures.some((s) => timingSafeEqual(Buffer.from(s, 'hex'), expected));
}

/** The job fields an event changes. */
interface Watched {
  state: string;
  progress: unknown;
  attempts: number;
  result?: unknown;
}

export interface FollowJobOptions<J extends Watched> {
  baseUrl: string;
  headers: Record<string, string>;
  fetch: typeof fetch;
  /** Reads the job (GET /v1/jobs/{id}). */
  getJob(id: string): Promise<J>;
  onProgress?: (job: J) => void | Promise<void>;
  /** Poll period when the server does not stream (default 500 ms). */
  intervalMs?: number;
  signal?: AbortSignal;
  /** 'sse' (default): follow the job's event stream, polling only when the server does not stream; 'poll': poll. */
  transport?: 'sse' | 'poll';
}

const terminal = ['completed', 'failed', 'cancelled'];

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Follows a job until it ends and resolves with it as `GET /v1/jobs/{id}` shows it then. Over
 * `GET /v1/jobs/{id}/events` (Server-Sent Events, fetch streaming): a dropped connection is resumed
 * with `Last-Event-ID` (no event lost or repeated); a server that does not answer with
 * text/event-stream (an older API, a proxy that buffers) is polled instead.
 */
export async function followJob<J extends Watched>(id: string, o: FollowJobOptions<J>): Promise<J> {
  let job = await o.getJob(id);
  let seen = '';
  const report = async () => {
    const now = JSON.stringify([job.state, job.progress]);
    if (now === seen) return;
    seen = now;
    await o.onProgress?.(job);
  };
  await report();
  if (terminal.includes(job.state)) return job;

  const poll = async (): Promise<J> => {
    for (;;) {
      await sleep(o.intervalMs ?? 500, o.signal);
      job = await o.getJob(id);
      await report();
      if (terminal.includes(job.state)) return job;
    }
  };
  if (o.transport === 'poll') return poll();

  let lastEventId: string | undefined;
  let failures = 0;
  for (;;) {
    o.signal?.throwIfAborted();
    let response: Response;
    try {
      response = await o.fetch(`${o.baseUrl}/v1/jobs/${encodeURIComponent(id)}/events`, {
        headers: { ...o.headers, accept: 'text/event-stream', ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
        ...(o.signal ? { signal: o.signal } : {}),
      });
    } catch (error) {
      o.signal?.throwIfAborted();
      // The API is unreachable: a few quick reconnects, then as the poll would (which reports the error).
      if (++failures > 3) throw error;
      await sleep(500 * failures, o.signal);
      continue;
    }
    // 204: the client already had the final event. Read the job as it ended.
    if (response.status === 204) return o.getJob(id);
    if (!response.ok || !response.body || !String(response.headers.get('content-type')).startsWith('text/event-stream')) {
      await response.body?.cancel().catch(() => undefined);
      return poll();
    }
    failures = 0;
    try {
      for await (const m of parseEventStream(response.body, o.signal)) {
        if (m.id) lastEventId = m.id;
        let data: Record<string, unknown>;
        try {
          data = JSON.parse(m.data) as Record<string, unknown>;
        } catch {
          continue;
        }
        if (m.event === 'progress') job = { ...job, progress: data.progress };
        else if (m.event === 'result') job = { ...job, result: data.result };
        else if (m.event === 'state') {
          const state = String(data.state);
          job = { ...job, state, ...(typeof data.attempt === 'number' && data.attempt > 0 ? { attempts: data.attempt } : {}) };
          if (terminal.includes(state)) {
            // The row is the record: result, error and times as stored. A cancel is announced just
            // before the API writes it: give the row a moment to say so.
            for (let tries = 0; ; tries++) {
              const row = await o.getJob(id);
              if (terminal.includes(row.state) || tries >= 20) {
                job = terminal.includes(row.state) ? row : { ...row, state };
                break;
              }
              await sleep(100, o.signal);
            }
            await report();
            return job;
          }
        } else continue;
        await report();
      }
    } catch (error) {
      o.signal?.throwIfAborted();
      if (++failures > 3) throw error;
    }
    // The stream ended without the final event (a dropped connection): resume after the last one.
    await sleep(failures > 0 ? 500 * failures : 100, o.signal);
  }
}

/** One job event as the API sends it: `progress`, `state` or `result`, its id, and its JSON data (jobId, kind, at, …). */
export interface JobEventMessage {
  id: string | undefined;
  event: string;
  data: Record<string, unknown>;
}

/**
 * Reads an event stream of the API (`/v1/jobs/{id}/events`, `/v1/events`), reconnecting with
 * `Last-Event-ID` when the connection drops, until the server ends it (a job's final event) or
 * `signal` aborts. Throws `onError(response)`'s error when the server refuses the stream.
 */
export async function* readEvents(
  url: string,
  o: { headers: Record<string, string>; fetch: typeof fetch; signal?: AbortSignal; lastEventId?: string; onError(response: Response): Promise<Error> },
): AsyncGenerator<JobEventMessage> {
  let lastEventId = o.lastEventId;
  let failures = 0;
  for (;;) {
    let response: Response;
    try {
      response = await o.fetch(url, {
        headers: { ...o.headers, accept: 'text/event-stream', ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
        ...(o.signal ? { signal: o.signal } : {}),
      });
    } catch (error) {
      if (o.signal?.aborted || ++failures > 3) throw error;
      await sleep(500 * failures, o.signal);
      continue;
    }
    if (response.status === 204) return;
    if (!response.ok || !response.body) throw await o.onError(response);
    failures = 0;
    let ended = true;
    try {
      for await (const m of parseEventStream(response.body, o.signal)) {
        if (m.id) lastEventId = m.id;
        let data: Record<string, unknown>;
        try {
          data = JSON.parse(m.data) as Record<string, unknown>;
        } catch {
          continue;
        }
        yield { id: m.id, event: m.event, data };
        if (m.event === 'state' && terminal.includes(String(data.state)) && /\/v1\/jobs\//.test(url)) return;
      }
    } catch (error) {
      if (o.signal?.aborted) return;
      if (++failures > 3) throw error;
      ended = false;
    }
    if (o.signal?.aborted) return;
    await sleep(ended ? 100 : 500 * failures, o.signal);
  }
}
