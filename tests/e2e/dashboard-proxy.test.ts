import { createServer, type IncomingMessage, type Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDashboard } from '../../services/dashboard/src/index.js';
import { type Platform, redisUrl, startPlatform } from '../helpers.js';

// Issue 11: `/api//127.0.0.1:18202/x` used to be forwarded to another host and port (and
// `/api//127.0.0.1:6379/` to Redis), because the proxy resolved the browser's path against the
// API's URL. Every request here goes over a real socket, byte for byte, with a valid admin session,
// so only the path rules stand between it and the canary: a second HTTP server that must never
// receive a request.

interface RawResponse {
  status: number;
  body: string;
}

/** Writes `head` (request line and headers, without the final blank line) to a fresh connection; reads until the server closes it. */
function rawRequest(port: number, head: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      data += chunk;
    });
    socket.on('error', reject);
    socket.on('close', () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0);
      resolve({ status, body: data.slice(data.indexOf('\r\n\r\n') + 4) });
    });
    socket.write(`${head}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
  });
}

describe('dashboard proxy: never an open proxy (real sockets, real API)', () => {
  let platform: Platform;
  let apiUrl: string;
  let dashboard: FastifyInstance;
  let port: number;
  let canary: Server;
  let canaryPort: number;
  const canaryHits: string[] = [];
  let session: { cookie: string; csrf: string };

  beforeAll(async () => {
    canary = createServer((req: IncomingMessage, res) => {
      canaryHits.push(`${req.method} ${req.url}`);
      res.end('canary');
    });
    await new Promise<void>((resolve) => canary.listen(0, '127.0.0.1', resolve));
    canaryPort = (canary.address() as AddressInfo).port;

    platform = await startPlatform();
    apiUrl = await platform.api.listen({ port: 0, host: '127.0.0.1' });
    dashboard = await buildDashboard({ apiUrl, redisUrl, keyPrefix: platform.prefix });
    port = Number(new URL(await dashboard.listen({ port: 0, host: '127.0.0.1' })).port);

    const login = await fetch(`http://127.0.0.1:${port}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ key: platform.adminKey }),
    });
    expect(login.status).toBe(200);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const me = (await (await fetch(`http://127.0.0.1:${port}/session`, { headers: { cookie } })).json()) as { csrfToken: string };
    session = { cookie, csrf: me.csrfToken };
  });

  afterAll(async () => {
    await dashboard?.close();
    await platform?.close();
    await new Promise((resolve) => canary?.close(resolve));
  });

  const headers = (host = `127.0.0.1:${port}`) => `Host: ${host}\r\nCookie: ${session.cookie}\r\nX-CSRF-Token: ${session.csrf}`;

  it('proxies a plain /api/v1 request with this session (the set-up works)', async () => {
    const res = await rawRequest(port, `GET /api/v1/queues HTTP/1.1\r\n${headers()}`);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).items.map((q: { name: string }) => q.name)).toContain('qubo-solve');
  });

  const attacks = (p: number) => [
    `/api//127.0.0.1:${p}/x`,
    `/api//127.0.0.1:${p}/v1/jobs`,
    `/api///127.0.0.1:${p}/v1/jobs`,
    `/api/\\\\127.0.0.1:${p}/v1/jobs`,
    `/api/\\127.0.0.1:${p}/v1/jobs`,
    `/api/v1/..\\..\\\\127.0.0.1:${p}/x`,
    `/api/%2f%2f127.0.0.1:${p}/v1/jobs`,
    `/api/%2F%2F127.0.0.1:${p}/v1/jobs`,
    `/api/%2f/127.0.0.1:${p}/v1/jobs`,
    `/api/%5c%5c127.0.0.1:${p}/v1/jobs`,
    `/api/%5C%5C127.0.0.1:${p}/v1/jobs`,
    `/api/v1/..%2f..%2f%2f127.0.0.1:${p}/x`,
    `/api/../..//127.0.0.1:${p}/x`,
    `/api/v1/../..//127.0.0.1:${p}/x`,
    `/api/v1/%2e%2e/%2e%2e//127.0.0.1:${p}/x`,
    `/api/v1/%2E%2E/%2E%2E/%2f%2f127.0.0.1:${p}/x`,
    `/api/http://127.0.0.1:${p}/v1/jobs`,
    `/api/http:%2f%2f127.0.0.1:${p}/v1/jobs`,
    `/api/@127.0.0.1:${p}/v1/jobs`,
    `/api/v1/jobs%0d%0aHost:%20127.0.0.1:${p}`,
    `/api/v1/jobs%0aX:1%0d%0a%0d%0aGET%20//127.0.0.1:${p}/`,
    `http://127.0.0.1:${p}/api/v1/jobs`,
    `http://127.0.0.1:${port}//127.0.0.1:${p}/api/v1/jobs`,
    `//127.0.0.1:${p}/api/v1/jobs`,
    // Redis itself, as in the report.
    '/api//127.0.0.1:6379/',
    '/api/%2f%2f127.0.0.1:6379/',
  ];

  it.each(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'])('refuses every other-host path with %s (400/404 in Kiln’s shape)', async (method) => {
    for (const target of attacks(canaryPort)) {
      const res = await rawRequest(port, `${method} ${target} HTTP/1.1\r\n${headers()}`);
      expect([400, 404], `${method} ${target}: ${res.status} ${res.body}`).toContain(res.status);
      const body = JSON.parse(res.body) as { error: { code: string } };
      expect(['KILN_ERR_VALIDATION', 'KILN_ERR_NOT_FOUND'], target).toContain(body.error.code);
      expect(res.body).not.toContain('canary');
    }
    expect(canaryHits).toEqual([]);
  });

  it('answers a raw CR or LF in the request line in Kiln’s shape, or reads it as a harmless request to the API', async () => {
    for (const line of [
      `GET /api//127.0.0.1:${canaryPort}/x\rHost: x HTTP/1.1`,
      `GET /api/v1/jobs\nGET //127.0.0.1:${canaryPort}/ HTTP/1.1`,
      `GET /api/v1/jobs\r\nHost: 127.0.0.1:${canaryPort} HTTP/1.1`,
    ]) {
      const res = await rawRequest(port, `${line}\r\n${headers()}`);
      expect([200, 400, 401, 404], `${JSON.stringify(line)}: ${res.status}`).toContain(res.status);
      if (res.status !== 200) expect(JSON.parse(res.body).error.code).toMatch(/^KILN_ERR_/);
    }
    expect(canaryHits).toEqual([]);
  });

  it('ignores the Host header: a request naming the canary as its host still goes to the configured API', async () => {
    const res = await rawRequest(port, `GET /api/v1/queues HTTP/1.1\r\n${headers(`127.0.0.1:${canaryPort}`)}`);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toHaveProperty('items');
    const forwarded = await rawRequest(
      port,
      `GET /api/v1/queues HTTP/1.1\r\n${headers()}\r\nX-Forwarded-Host: 127.0.0.1:${canaryPort}\r\nForwarded: host=127.0.0.1:${canaryPort}`,
    );
    expect(forwarded.status).toBe(200);
    expect(canaryHits).toEqual([]);
  });

  it('reaches only /v1/… and /healthz on the API: /readyz, /metrics and /docs are not proxied', async () => {
    expect((await rawRequest(port, `GET /api/healthz HTTP/1.1\r\n${headers()}`)).status).toBe(200);
    for (const path of ['/api/readyz', '/api/metrics', '/api/docs', '/api/docs/json', '/api/v1', '/api/v2/jobs', '/api/%76%31/jobs']) {
      const res = await rawRequest(port, `GET ${path} HTTP/1.1\r\n${headers()}`);
      expect(res.status, path).toBe(404);
      expect(JSON.parse(res.body).error.code).toBe('KILN_ERR_NOT_FOUND');
    }
  });

  it('the canary never received a request', () => {
    expect(canaryHits).toEqual([]);
  });
});
