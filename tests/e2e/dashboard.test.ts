import { existsSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
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
  let context: BrowserContext;
  let page: Page;
  let viewerKey: string;
  let worker: { close(): Promise<void> } | undefined;
  const pageErrors: string[] = [];
  let cancelledJobId = '';

  /** The test's own calls go straight to the API with the admin key (the UI goes through the dashboard's login). */
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${platform.adminKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
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
    viewerKey = (await api('POST', '/v1/keys', { name: 'viewer', scopes: ['read'] })).body.key as string;
    // Sessions in the real Redis, under this platform's prefix.
    dashboard = await buildDashboard({ apiUrl, redisUrl, keyPrefix: platform.prefix });
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
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });

  afterAll(async () => {
    await worker?.close();
    await browser?.close();
    await dashboard?.close();
    await platform?.close();
  });

  it('sends a visitor to the login page, refuses a wrong key with a message, and logs in with the admin key', async () => {
    await page.goto(`${dashboardUrl}/#/queues`);
    // The server redirects to /login; the browser keeps the view in the fragment.
    await page.waitForURL(`${dashboardUrl}/login#/queues`, SHOWS);
    await page.getByTestId('login-key').fill('kiln_this-is-not-a-key-0123456789');
    await page.getByTestId('login-submit').click();
    await page.locator('[data-testid="login-error"]:not(:empty)').waitFor(SHOWS);
    expect(await page.getByTestId('login-error').textContent()).toBe('This API key was not accepted: it is unknown or revoked.');
    expect(await context.cookies()).toEqual([]);

    await page.getByTestId('login-key').fill(platform.adminKey);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('view-queues').waitFor(SHOWS);
    expect(page.url()).toBe(`${dashboardUrl}/#/queues`);
    await page.locator('[data-testid="session-user"][data-role="admin"]').waitFor(SHOWS);
    expect(await page.getByTestId('session-user').textContent()).toContain('KILN_BOOTSTRAP_ADMIN_KEY');

    // The session cookie: HttpOnly (no script sees it), SameSite=Strict, a random id, never the key.
    const cookies = await context.cookies();
    expect(cookies).toHaveLength(1);
    expect(cookies[0]).toMatchObject({ name: 'kiln_session', httpOnly: true, sameSite: 'Strict', path: '/', secure: false });
    expect(cookies[0]?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await page.evaluate('document.cookie')).toBe('');
    expect(await page.content()).not.toContain(platform.adminKey);
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
    cancelledJobId = jobId;
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

  it('logs a viewer in from a /login#key= link: no action buttons, and its state-changing calls are refused', async () => {
    const viewerContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const viewer = await viewerContext.newPage();
      viewer.on('pageerror', (error) => pageErrors.push(error.message));
      await viewer.goto(`${dashboardUrl}/login#key=${encodeURIComponent(viewerKey)}`);
      await viewer.getByTestId('view-queues').waitFor(SHOWS);
      // The key left the address bar (and the history entry) before the dashboard opened.
      expect(viewer.url()).toBe(`${dashboardUrl}/`);
      expect(viewer.url()).not.toContain(viewerKey);
      await viewer.locator('[data-testid="session-user"][data-role="viewer"]').waitFor(SHOWS);

      await viewer.getByTestId('queue-row-qubo-solve').waitFor(SHOWS);
      expect(await viewer.getByTestId('queue-toggle').count()).toBe(0);
      await viewer.getByTestId('nav-jobs').click();
      await viewer.getByTestId(`job-row-${cancelledJobId}`).waitFor(SHOWS);
      expect(await viewer.getByTestId('new-job-link').count()).toBe(0);
      expect(await viewer.getByTestId('nav-new').isHidden()).toBe(true);
      expect(await viewer.getByTestId('jobs-bulk').count()).toBe(0);
      expect(await viewer.getByTestId('job-select').count()).toBe(0);
      await viewer.getByTestId(`job-row-${cancelledJobId}`).getByTestId('job-link').click();
      await viewer.locator('[data-testid="job-state"][data-state="cancelled"]').waitFor(SHOWS);
      expect(await viewer.getByTestId('job-retry').count()).toBe(0);
      expect(await viewer.getByTestId('job-cancel').count()).toBe(0);
      expect(await viewer.getByRole('button').allTextContents()).toEqual(['Log out']);

      // What a hand-made request from the page gets: the dashboard refuses it, the queue stays as it is.
      const refused = await viewer.evaluate(async () => {
        const session = (await (await fetch('/session')).json()) as { csrfToken: string; scopes: string[] };
        const res = await fetch('/api/v1/queues/qubo-solve/pause', { method: 'POST', headers: { 'x-csrf-token': session.csrfToken } });
        return { status: res.status, body: (await res.json()) as { error: { code: string } }, session };
      });
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('KILN_ERR_FORBIDDEN');
      expect(refused.session.scopes).toEqual(['read']);
      expect(JSON.stringify(refused.session)).not.toContain(viewerKey);
      expect((await queue('qubo-solve'))?.paused).toBe(false);
    } finally {
      await viewerContext.close();
    }
  });

  it('logs out: back on the login page, and the old cookie no longer works', async () => {
    await page.goto(`${dashboardUrl}/#/queues`);
    await page.getByTestId('view-queues').waitFor(SHOWS);
    const [cookie] = await context.cookies();
    const header = { cookie: `${cookie?.name}=${cookie?.value}` };
    expect((await fetch(`${dashboardUrl}/api/v1/queues`, { headers: header })).status).toBe(200);

    await page.getByTestId('logout').click();
    await page.waitForURL(`${dashboardUrl}/login`, SHOWS);
    await page.getByTestId('login-form').waitFor(SHOWS);
    expect(await context.cookies()).toEqual([]);
    expect((await fetch(`${dashboardUrl}/api/v1/queues`, { headers: header })).status).toBe(401);
    expect((await fetch(`${dashboardUrl}/session`, { headers: header })).status).toBe(401);

    // The dashboard itself sends a logged-out browser to the login page.
    await page.goto(`${dashboardUrl}/#/jobs`);
    await page.waitForURL(`${dashboardUrl}/login#/jobs`, SHOWS);
  });

  it('threw no uncaught errors in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
