import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { followJob, parseEventStream, verifyWebhookSignature } from './sse.js';

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  return new ReadableStream({
    start(c) {
      for (const ch of chunks) c.enqueue(enc.encode(ch));
      c.close();
    },
  });
}

async function all<T>(gen: AsyncGenerator<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of gen) out.push(x);
  return out;
}

describe('parseEventStream', () => {
  it('parses frames split anywhere, CRLF and CR line ends, comments, multi-line data and ids that persist', async () => {
    const text = 'retry: 2000\r\n\r\n: heartbeat\n\nid: 1-0\nevent: state\ndata: {"a":\ndata: 1}\n\nevent: progress\rdata: x\r\r';
    for (const size of [1, 3, 7, text.length]) {
      const chunks = text.match(new RegExp(`[\\s\\S]{1,${size}}`, 'g')) as string[];
      expect(await all(parseEventStream(streamOf(chunks)))).toEqual([
        { event: 'state', data: '{"a":\n1}', id: '1-0' },
        { event: 'progress', data: 'x', id: '1-0' },
      ]);
    }
  });
});

describe('verifyWebhookSignature', () => {
  const secret = 'whsec_test';
  const body = '{"id":"1-0","type":"job.completed"}';
  const t = 1_800_000_000;
  const v1 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  it('accepts the HMAC of "<t>.<body>" within the tolerance, and nothing else', () => {
    expect(verifyWebhookSignature(secret, `t=${t},v1=${v1}`, body, 300, t + 10)).toBe(true);
    expect(verifyWebhookSignature(secret, `t=${t},v1=${'0'.repeat(64)},v1=${v1}`, Buffer.from(body), 300, t)).toBe(true);
    expect(verifyWebhookSignature('other', `t=${t},v1=${v1}`, body, 300, t)).toBe(false);
    expect(verifyWebhookSignature(secret, `t=${t},v1=${v1}`, `${body} `, 300, t)).toBe(false);
    expect(verifyWebhookSignature(secret, `t=${t + 1},v1=${v1}`, body, 300, t)).toBe(false);
    expect(verifyWebhookSignature(secret, `t=${t},v1=${v1}`, body, 300, t + 301)).toBe(false);
    expect(verifyWebhookSignature(secret, `t=${t},v1=${v1}`, body, 0, t + 10_000)).toBe(true);
    expect(verifyWebhookSignature(secret, undefined, body)).toBe(false);
    expect(verifyWebhookSignature(secret, 'garbage', body)).toBe(false);
  });
});

describe('followJob', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise((r) => (server ? server.close(r) : r(undefined)));
    server = undefined;
  });
  const serve = (handler: (req: IncomingMessage, res: ServerResponse) => void) =>
    new Promise<string>((resolve) => {
      server = createServer(handler);
      server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server?.address() as AddressInfo).port}`));
    });
  const getJobFrom = (base: string) => async (id: string) =>
    (await (await fetch(`${base}/v1/jobs/${id}`)).json()) as { state: string; progress: unknown; attempts: number };

  it('polls when the server does not answer with text/event-stream', async () => {
    let reads = 0;
    const base = await serve((req, res) => {
      if (req.url?.endsWith('/events'))
        return res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"code":"KILN_ERR_NOT_FOUND","message":"no route"}}');
      reads++;
      const state = reads < 3 ? 'active' : 'completed';
      return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ state, progress: { n: reads }, attempts: 1 }));
    });
    const seen: string[] = [];
    const job = await followJob('j', {
      baseUrl: base,
      headers: {},
      fetch,
      getJob: getJobFrom(base),
      intervalMs: 5,
      onProgress: (j) => void seen.push(j.state),
    });
    expect(job.state).toBe('completed');
    expect(reads).toBe(3);
    expect(seen).toEqual(['active', 'active', 'completed']);
  });

  it('resumes a dropped stream with Last-Event-ID', async () => {
    const asked: Array<string | undefined> = [];
    let state = 'active';
    const base = await serve((req, res) => {
      if (!req.url?.endsWith('/events'))
        return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ state, progress: null, attempts: 1 }));
      const last = req.headers['last-event-id'] as string | undefined;
      asked.push(last);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      // The first connection drops after one event; the second gives the rest.
      if (!last) return res.end('id: 1-0\nevent: progress\ndata: {"progress":{"n":1}}\n\n');
      state = 'completed';
      return res.end('id: 2-0\nevent: result\ndata: {"result":1}\n\nid: 3-0\nevent: state\ndata: {"state":"completed","attempt":1}\n\n');
    });
    const progress: unknown[] = [];
    const job = await followJob('j', { baseUrl: base, headers: {}, fetch, getJob: getJobFrom(base), onProgress: (j) => void progress.push(j.progress) });
    expect(job.state).toBe('completed');
    expect(asked).toEqual([undefined, '1-0']);
    expect(progress).toContainEqual({ n: 1 });
  });
});
