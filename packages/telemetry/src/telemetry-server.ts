import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KilnMetrics } from './metrics.js';

export interface TelemetryServerOptions {
  /** The port (0: any free one, tests). */
  port: number;
  /** Default 0.0.0.0: probes and Prometheus reach a container from outside it. */
  host?: string;
  metrics: KilnMetrics;
  /** Readiness: each named store's check resolves when it answers (redis, postgres). */
  checks: Record<string, () => Promise<unknown>>;
  /** Longest wait for one readiness check (default 2,000 ms). */
  checkTimeoutMs?: number;
  log: { warn(obj: object, msg: string): void };
  /** The variable that set the port, named in the warning when it is taken (KILN_METRICS_PORT). */
  portVariable?: string;
}

export interface TelemetryServer {
  /** The port it listens on. */
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

/** Readiness as `/readyz` reports it: `ok` or `down: <reason>` per store. */
export type Readiness = { status: 'ready' | 'not ready' } & Record<string, string>;

/** Runs every check at once, each bounded by `timeoutMs`. */
export async function checkReadiness(checks: Record<string, () => Promise<unknown>>, timeoutMs = 2_000): Promise<{ ready: boolean; body: Readiness }> {
  const results = await Promise.all(
    Object.entries(checks).map(async ([name, check]): Promise<[string, string]> => {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          check(),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs);
          }),
        ]);
        return [name, 'ok'];
      } catch (error) {
        return [name, `down: ${(error as Error | null)?.message || String(error)}`];
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  const ready = results.every(([, r]) => r === 'ok');
  return { ready, body: { status: ready ? 'ready' : 'not ready', ...Object.fromEntries(results) } as Readiness };
}

function send(res: ServerResponse, status: number, body: string, contentType = 'application/json; charset=utf-8'): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(body);
}

/**
 * A worker's small HTTP server for Prometheus and the orchestrator: `GET /metrics` (text
 * exposition), `GET /healthz` (200 `{"status":"ok"}` while the process is alive), `GET /readyz`
 * (200 when every check answers, else 503 naming the store that is down). Resolves null, after a
 * warning naming `portVariable`, when the port is taken: several workers on one host are normal,
 * and the first one keeps it.
 */
export async function startTelemetryServer(options: TelemetryServerOptions): Promise<TelemetryServer | null> {
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    // Only GET (and HEAD) routes; anything else is an unknown route, as on the API.
    const get = req.method === 'GET' || req.method === 'HEAD';
    if (get && path === '/healthz') return send(res, 200, JSON.stringify({ status: 'ok' }));
    if (get && path === '/readyz') {
      const { ready, body } = await checkReadiness(options.checks, options.checkTimeoutMs);
      return send(res, ready ? 200 : 503, JSON.stringify(body));
    }
    if (get && path === '/metrics') return send(res, 200, await options.metrics.metrics(), options.metrics.contentType);
    return send(
      res,
      404,
      JSON.stringify({ error: { code: 'KILN_ERR_NOT_FOUND', message: `no route ${req.method} ${path} (try /metrics, /healthz, /readyz)` } }),
    );
  };
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, JSON.stringify({ error: { code: 'KILN_ERR_INTERNAL', message: (error as Error).message } }));
      else res.destroy();
    });
  });
  const host = options.host ?? '0.0.0.0';
  const listening = await new Promise<boolean>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EADDRINUSE') return reject(error);
      options.log.warn(
        { port: options.port, host },
        `${options.portVariable ?? 'the metrics port'}=${options.port} is taken (another process listens on it): this process serves no /metrics, /healthz or /readyz and goes on without them; give it its own port, or 0 to turn the server off`,
      );
      resolve(false);
    };
    server.once('error', onError);
    server.listen(options.port, host, () => {
      server.off('error', onError);
      resolve(true);
    });
  });
  if (!listening) return null;
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://${host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
