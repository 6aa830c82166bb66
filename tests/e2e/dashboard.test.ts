import { existsSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDashboard } from '../../services/dashboard/src/index.js';
import { startQuboWorker } from '../../services/worker-qubo/src/worker.js';
import { type Platform, quietLog, redisUrl, startPlatform } from '../helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  console.warn(`[dashboard e2e] skipped: ${CHROMIUM} not found (install it with: apt-get install -y chromium)`);
}

/** Selector waits only: how long the page may take to show something, never a timed assertion. */
const SHOWS = { timeout: 20_000 };

describe.skipIf(!hasChromium)('dashboard in headless Chromium against the real API', () => {
  let platform: Platform;
  let apiUrl: string;
  let dashboard: FastifyInstance;
  let dashboardUrl: string;
  let browser: Browser;
  let page: Page;
  let worker: { close(): Promise<void> } | undefined;
  const pageErrors: string[] = [];

  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${apiUrl}${path}`, {
      method,
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };
  const queue = async (name: string) => {
    const { body } = await api('GET', '/v1/queues');
    return (body.items as Array<{ name: string; paused: boolean }>).find((q) => q.name === name);
  };

  beforeAll(async () => {
    // Real Postgres (a fresh migrated database) and Redis (a unique queue prefix), no workers.
    platform = await startPlatform();
    apiUrl = await platform.api.listen({ port: 0, host: '127.0.0.1' });
    dashboard = await buildDashboard({ apiUrl });
    dashboardUrl = await dashboard.listen({ port: 0, host: '127.0.0.1' });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-quic',
        '--no-first-run',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });

  afterAll(async () => {
    await worker?.close();
    await browser?.close();
    await dashboard?.close();
    await platform?.close();
  });

  it('lists the three queues, pauses and resumes qubo-solve, and cancels a waiting job', async () => {
    await page.goto(`${dashboardUrl}/#/queues`);
    for (const name of ['ssm-train', 'ssm-score', 'qubo-solve']) {
      await page.getByTestId(`queue-row-${name}`).waitFor(SHOWS);
    }
    await page.locator('[data-testid="api-status"][data-status="ok"]').waitFor(SHOWS);

    // Pause from the UI; the API agrees.
    const quboRow = page.getByTestId('queue-row-qubo-solve');
    await quboRow.getByRole('button', { name: 'Pause queue qubo-solve' }).click();
    await page.locator('[data-testid="queue-row-qubo-solve"][data-paused="true"]').waitFor(SHOWS);
    expect(await quboRow.getByTestId('queue-status').textContent()).toBe('paused');
    expect((await queue('qubo-solve'))?.paused).toBe(true);
    expect((await queue('ssm-train'))?.paused).toBe(false);

    // A job submitted while the queue is paused stays waiting.
    const submitted = await api('POST', '/v1/jobs', {
      kind: 'qubo.solve',
      payload: {
        problem: {
          n: 3,
          terms: [
            [0, 1, 1],
            [1, 2, 1],
            [0, 0, -1],
          ],
          offset: 0,
        },
        params: { seed: 1, sweeps: 200 },
      },
    });
    expect(submitted.status).toBe(201);
    const jobId = submitted.body.id as string;
    expect((await api('GET', `/v1/jobs/${jobId}`)).body.state).toBe('waiting');

    // Resume from the UI; the API agrees.
    await quboRow.getByRole('button', { name: 'Resume queue qubo-solve' }).click();
    await page.locator('[data-testid="queue-row-qubo-solve"][data-paused="false"]').waitFor(SHOWS);
    expect((await queue('qubo-solve'))?.paused).toBe(false);

    // The job list shows the job; filtering by kind keeps it.
    await page.getByTestId('nav-jobs').click();
    const row = page.getByTestId(`job-row-${jobId}`);
    await row.waitFor(SHOWS);
    expect(await row.getByTestId('job-state').textContent()).toBe('waiting');
    await page.getByTestId('jobs-filter-kind').selectOption('qubo.solve');
    await page.waitForURL(/#\/jobs\?kind=qubo\.solve$/, SHOWS);
    await row.waitFor(SHOWS);
    if (process.env.KILN_DASHBOARD_SCREENSHOT) {
      await page.screenshot({ path: process.env.KILN_DASHBOARD_SCREENSHOT, fullPage: true });
    }

    // Its detail page shows the payload; Cancel moves it to cancelled and offers Retry.
    await row.getByTestId('job-link').click();
    await page.locator(`[data-testid="view-job"][data-job-id="${jobId}"]`).waitFor(SHOWS);
    await page.locator('[data-testid="job-state"][data-state="waiting"]').waitFor(SHOWS);
    expect(JSON.parse((await page.getByTestId('job-payload').textContent()) ?? 'null')).toMatchObject({ params: { seed: 1, sweeps: 200 } });
    await page.getByTestId('job-cancel').click();
    await page.locator('[data-testid="job-state"][data-state="cancelled"]').waitFor(SHOWS);
    await page.getByTestId('job-retry').waitFor({ state: 'visible', ...SHOWS });
    expect(await page.getByTestId('job-cancel').isHidden()).toBe(true);
    expect((await api('GET', `/v1/jobs/${jobId}`)).body.state).toBe('cancelled');
  });

  it('renders the models and QUBO solution views from the real API', async () => {
    await page.getByTestId('nav-models').click();
    await page.getByTestId('models-empty').waitFor(SHOWS);
    await page.getByTestId('nav-qubo').click();
    await page.getByTestId('qubo-empty').waitFor(SHOWS);
    await page.goto(`${dashboardUrl}/#/jobs/no-such-job`);
    expect(await page.getByTestId('view-error').textContent({ timeout: SHOWS.timeout })).toContain('No job with id no-such-job');
  });

  it('follows a job solved by a real qubo worker to its solution and energy plot', async () => {
    // Started only now: earlier, a running worker would take the job the first test cancels.
    worker = await startQuboWorker({ redisUrl, databaseUrl: platform.db.url, prefix: platform.prefix, concurrency: 1, threads: 1, log: quietLog });
    const submitted = await api('POST', '/v1/jobs', {
      kind: 'qubo.solve',
      // min x0·x1 + x1·x2 − x0 = −1 (x0 = 1, x1 = 0); `target` ends the run once it is found.
      payload: {
        problem: {
          n: 3,
          terms: [
            [0, 1, 1],
            [1, 2, 1],
            [0, 0, -1],
          ],
          offset: 0,
        },
        params: { seed: 1, sweeps: 200, timeLimitMs: 5000, target: -1 },
      },
    });
    expect(submitted.status).toBe(201);
    const jobId = submitted.body.id as string;

    await page.goto(`${dashboardUrl}/#/jobs/${jobId}`);
    await page.locator('[data-testid="job-state"][data-state="completed"]').waitFor({ timeout: 60_000 });
    await page.getByTestId('job-solution-link').click();
    await page.getByTestId('qubo-plot').waitFor(SHOWS);
    expect(await page.getByTestId('qubo-energy').textContent()).toBe('-1');
    expect(Number(await page.getByTestId('qubo-plot').getAttribute('data-points'))).toBeGreaterThan(0);
    const bits = ((await page.getByTestId('qubo-assignment').textContent()) ?? '').replace(/\s/g, '');
    expect(bits).toMatch(/^10[01]$/);

    await page.getByTestId('nav-qubo').click();
    await page.getByTestId(`qubo-row-${jobId}`).waitFor(SHOWS);
  });

  it('threw no uncaught errors in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
