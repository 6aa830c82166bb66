import { describe, expect, it } from 'vitest';
import { KilnMetrics } from './metrics.js';
import { startTelemetryServer } from './telemetry-server.js';

const quiet = { warn: () => undefined };

describe('the telemetry server', () => {
  it('serves /healthz, /readyz (503 naming the check that fails) and /metrics', async () => {
    let postgresUp = true;
    const server = await startTelemetryServer({
      port: 0,
      host: '127.0.0.1',
      metrics: new KilnMetrics({ service: 'worker-qubo' }),
      checks: {
        redis: async () => 'PONG',
        postgres: async () => {
          if (!postgresUp) throw new Error('connect ECONNREFUSED');
        },
      },
      log: quiet,
    });
    if (!server) throw new Error('no server');
    try {
      const health = await fetch(`${server.url}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
      expect(await (await fetch(`${server.url}/readyz`)).json()).toEqual({ status: 'ready', redis: 'ok', postgres: 'ok' });
      postgresUp = false;
      const down = await fetch(`${server.url}/readyz`);
      expect(down.status).toBe(503);
      expect(await down.json()).toEqual({ status: 'not ready', redis: 'ok', postgres: 'down: connect ECONNREFUSED' });
      const metrics = await fetch(`${server.url}/metrics`);
      expect(metrics.status).toBe(200);
      expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await metrics.text()).toMatch(/^process_cpu_seconds_total\{service="worker-qubo"\} /m);
      expect((await fetch(`${server.url}/nope`)).status).toBe(404);
      expect((await fetch(`${server.url}/metrics`, { method: 'POST' })).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  it('warns, naming the variable, and serves nothing when its port is taken', async () => {
    const metrics = new KilnMetrics({ service: 'worker-ssm' });
    const first = await startTelemetryServer({ port: 0, host: '127.0.0.1', metrics, checks: {}, log: quiet });
    if (!first) throw new Error('no server');
    const warnings: string[] = [];
    try {
      const second = await startTelemetryServer({
        port: first.port,
        host: '127.0.0.1',
        metrics,
        checks: {},
        log: { warn: (_obj, msg) => warnings.push(msg) },
        portVariable: 'KILN_METRICS_PORT',
      });
      expect(second).toBeNull();
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain(`KILN_METRICS_PORT=${first.port} is taken`);
      // The first one still answers.
      expect((await fetch(`${first.url}/healthz`)).status).toBe(200);
    } finally {
      await first.close();
    }
  });
});
