import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDashboard } from '../../services/dashboard/src/index.js';
import { startQuboWorker } from '../../services/worker-qubo/src/worker.js';
import { startSsmWorker } from '../../services/worker-ssm/src/worker.js';
import { type Platform, quietLog, redisUrl, startPlatform } from '../helpers.js';

/**
 * The operator console (issue 13, part 6) in headless Chromium against the real API, Postgres,
 * Redis and in-process workers: every form is driven from the page. Set
 * KILN_DASHBOARD_SCREENSHOTS=<folder> to save a 1280 px screenshot of each page
 * (services/dashboard/scripts/screenshots.ts does, into docs/screenshots).
 */
const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`[console e2e] skipped: ${CHROMIUM} not found (install it with: apt-get install -y chromium)`);

/** Selector waits only: how long the page may take to show something, never a timed assertion. */
const SHOWS = { timeout: 30_000 };
const RUNS = { timeout: 120_000 };
const shotsDir = process.env.KILN_DASHBOARD_SCREENSHOTS;

/** Every user walks a cycle of `items` items from a random start: learnable, as CSV with string ids. */
function cyclicCsv(users: number, items: number, length: number, seed: number): string {
  let s = seed;
  const rows = ['user_id,item_id,timestamp'];
  for (let u = 0; u < users; u++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    let item = s % items;
    for (let t = 0; t < length; t++) {
      rows.push(`u${u},item-${item},${1_000_000 + u * 100 + t}`);
      item = (item + 1) % items;
    }
  }
  return `${rows.join('\n')}\n`;
}

/** A page expression: how many pixels the table's scroll box is wider than it shows (0: every column fits). */
const overflowOf = (testid: string) =>
  `(() => { const wrap = document.querySelector('[data-testid="${testid}"]')?.parentElement; return wrap ? wrap.scrollWidth - wrap.clientWidth : -1; })()`;

const TRIANGLE = {
  n: 3,
  terms: [
    [0, 1, 1],
    [1, 2, 1],
    [0, 0, -1],
  ],
  offset: 0,
};

describe.skipIf(!hasChromium)('operator console in headless Chromium', () => {
  let platform: Platform;
  let apiUrl: string;
  let dashboard: FastifyInstance;
  let dashboardUrl: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let ssmWorker: { close(): Promise<void> } | undefined;
  let quboWorker: { close(): Promise<void> } | undefined;
  const pageErrors: string[] = [];
  let modelName = '';
  let trainJobId = '';
  let problemId = '';

  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${platform.adminKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: (text === '' ? null : JSON.parse(text)) as Record<string, any> };
  };
  const shot = async (name: string) => {
    if (!shotsDir) return;
    mkdirSync(shotsDir, { recursive: true });
    await page.waitForTimeout(300); // let the last poll paint: only for the picture, never for an assertion
    await page.screenshot({ path: join(shotsDir, `${name}.png`), fullPage: true });
  };
  const jobIdFromUrl = () => decodeURIComponent(new URL(page.url()).hash.replace(/^#\/jobs\//, ''));

  beforeAll(async () => {
    platform = await startPlatform();
    apiUrl = await platform.api.listen({ port: 0, host: '127.0.0.1' });
    dashboard = await buildDashboard({ apiUrl, redisUrl, keyPrefix: platform.prefix });
    dashboardUrl = await dashboard.listen({ port: 0, host: '127.0.0.1' });
    ssmWorker = await startSsmWorker({
      redisUrl,
      databaseUrl: platform.db.url,
      prefix: platform.prefix,
      trainConcurrency: 1,
      scoreConcurrency: 1,
      log: quietLog,
    });
    quboWorker = await startQuboWorker({ redisUrl, databaseUrl: platform.db.url, prefix: platform.prefix, concurrency: 1, threads: 1, log: quietLog });
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
    await page.goto(`${dashboardUrl}/login#key=${encodeURIComponent(platform.adminKey)}`);
    await page.getByTestId('view-queues').waitFor(SHOWS);
  });

  afterAll(async () => {
    await browser?.close();
    await ssmWorker?.close();
    await quboWorker?.close();
    await dashboard?.close();
    await platform?.close();
  });

  it('lists the connected workers per queue (GET /v1/workers and the workers view)', async () => {
    const { status, body } = await api('GET', '/v1/workers');
    expect(status).toBe(200);
    const queues = new Set((body.items as Array<{ queue: string }>).map((w) => w.queue));
    expect([...queues].sort()).toEqual(['qubo-solve', 'ssm-prime', 'ssm-score', 'ssm-train']);
    await page.getByTestId('nav-workers').click();
    for (const name of ['ssm-train', 'ssm-score', 'qubo-solve']) {
      await page.locator(`[data-testid="worker-row-${name}"]`).first().waitFor(SHOWS);
      expect(Number(await page.getByTestId(`workers-queue-${name}`).getAttribute('data-workers'))).toBeGreaterThan(0);
    }
    await shot('workers');
  });

  it('uploads a dataset larger than 1 MiB through the proxy, with the progress bar reaching 100 %', async () => {
    await page.getByTestId('nav-datasets').click();
    await page.getByTestId('datasets-empty').waitFor(SHOWS);
    // ~1.6 MB: more than the proxy's 1 MiB cap on other bodies, so it must be streamed through.
    const big = Buffer.from(cyclicCsv(6000, 40, 12, 3));
    expect(big.length).toBeGreaterThan(1 << 20);
    await page.getByTestId('dataset-file').setInputFiles({ name: 'big-cycles.csv', mimeType: 'text/csv', buffer: big });
    expect(await page.getByTestId('dataset-upload-name').inputValue()).toBe('big-cycles');
    await page.getByTestId('dataset-format').selectOption('csv');
    await page.getByTestId('dataset-upload').click();
    await page.locator('[data-testid="dataset-upload-progress"][aria-valuenow="100"]').waitFor(SHOWS);
    await page.locator('[data-testid="dataset-upload-message"].ok').waitFor(SHOWS);
    expect(await page.getByTestId('dataset-upload-message').textContent()).toContain('Stored big-cycles: 6,000 users, 40 items, 72,000 interactions');
    await page.locator('[data-testid^="dataset-row-"][data-name="big-cycles"]').waitFor(SHOWS);

    // The small one the training form uses.
    await page.getByTestId('dataset-file').setInputFiles({ name: 'cycles.csv', mimeType: 'text/csv', buffer: Buffer.from(cyclicCsv(120, 30, 12, 5)) });
    await page.getByTestId('dataset-upload').click();
    await page.locator('[data-testid^="dataset-row-"][data-name="cycles"]').waitFor(SHOWS);
    const row = page.locator('[data-testid^="dataset-row-"][data-name="cycles"]');
    expect(await row.locator('td').nth(2).textContent()).toBe('120');
    const listed = (await api('GET', '/v1/datasets')).body.items as Array<{ name: string; interactions: number }>;
    expect(listed.map((d) => [d.name, d.interactions]).sort()).toEqual([
      ['big-cycles', 72_000],
      ['cycles', 1440],
    ]);
    await shot('datasets');
  });

  it('trains from the form (dataset by name, preset defaults filled in) and shows the curves and a metrics summary', async () => {
    await page.getByTestId('nav-new').click();
    await page.getByTestId('train-form').waitFor(SHOWS);
    // The preset's values and the catalog's limits are in the fields.
    expect(await page.getByTestId('train-training-maxEpochs').inputValue()).toBe('40');
    expect(await page.getByTestId('train-training-lr').inputValue()).toBe('0.002');
    expect(await page.getByTestId('train-model-hiddenSize').getAttribute('max')).toBe('1024');
    await page.getByTestId('train-preset').selectOption('paper');
    expect(await page.getByTestId('train-training-maxEpochs').inputValue()).toBe('300');
    await page.getByTestId('train-preset').selectOption('default');
    await shot('new-train');

    await page.getByTestId('train-dataset').selectOption({ label: 'cycles · 120 users · 30 items' });
    await page.getByTestId('train-name').fill('console-cycles');
    for (const [field, value] of [
      ['model-hiddenSize', '16'],
      ['model-maxLen', '12'],
      ['model-dState', '8'],
      ['training-maxEpochs', '5'],
      ['training-patience', '5'],
      ['training-lr', '0.01'],
      ['training-seed', '7'],
    ] as const) {
      await page.getByTestId(`train-${field}`).fill(value);
    }
    await page.getByTestId('train-submit').click();
    await page.getByTestId('view-job').waitFor(SHOWS);
    trainJobId = jobIdFromUrl();
    await page.getByTestId('job-curves').waitFor(SHOWS);
    await page.locator('[data-testid="job-state"][data-state="completed"]').waitFor(RUNS);
    const job = (await api('GET', `/v1/jobs/${trainJobId}`)).body;
    expect(job.payload).toMatchObject({ model: { hiddenSize: 16, maxLen: 12, dState: 8 }, training: { maxEpochs: 5, lr: 0.01, seed: 7, batchSize: 32 } });
    await page.locator('[data-testid="job-input-name"]:has-text("cycles")').waitFor(SHOWS);

    // The curves hold every epoch; the epoch axis reads whole, distinct numbers.
    await page.locator(`[data-testid="job-curves"][data-epochs="${job.result.epochs}"]`).waitFor(SHOWS);
    const ticks = await page.locator('svg[data-testid="job-loss-plot"] g.plot-grid text[text-anchor="middle"]').allTextContents();
    expect(ticks.length).toBeGreaterThan(1);
    for (const tick of ticks) expect(tick).toMatch(/^\d+$/);
    expect(new Set(ticks).size).toBe(ticks.length);
    expect(Number(await page.getByTestId('job-valid-plot').getAttribute('data-points'))).toBe(job.result.epochs);

    // Results: a metrics table, the raw JSON only behind its toggle.
    const metrics = page.getByTestId('result-metrics');
    expect(await metrics.locator('thead th').allTextContents()).toContain('NDCG@10');
    expect(await metrics.locator('tbody th').allTextContents()).toEqual(['valid', 'test', 'test (history masked)']);
    expect(await page.getByTestId('job-result-json').isVisible()).toBe(false);
    await shot('job-train');
    await page.getByTestId('job-result-raw').locator('summary').click();
    expect(await page.getByTestId('job-result-json').isVisible()).toBe(true);
    expect(JSON.parse((await page.getByTestId('job-result-json').textContent()) ?? 'null')).toMatchObject({ modelId: job.result.modelId });
    const model = (await api('GET', `/v1/models/${job.result.modelId}`)).body;
    modelName = `${model.name} v${model.version}`;
    expect(model.name).toBe('console-cycles');
  });

  it('draws the curves while a training job runs, then cancels it from its page', async () => {
    const datasets = (await api('GET', '/v1/datasets')).body.items as Array<{ id: string; name: string }>;
    const small = datasets.find((d) => d.name === 'cycles')?.id as string;
    // Long enough to be seen running and cancelled: up to 1000 short epochs, no early stop.
    const submitted = await api('POST', '/v1/jobs', {
      kind: 'ssm.train',
      payload: { datasetId: small, name: 'long-run', model: { hiddenSize: 16, maxLen: 12, dState: 8 }, training: { maxEpochs: 1000, patience: 1000 } },
    });
    expect(submitted.status).toBe(201);
    const id = submitted.body.id as string;
    await page.goto(`${dashboardUrl}/#/jobs/${id}`);
    // One page state showing both: the job still active, and at least two epochs on the curves.
    await page.waitForFunction(
      () => {
        // Runs in the page (the tests compile without the DOM lib, hence the loose types).
        const doc = (globalThis as { document?: { querySelector(s: string): { dataset: Record<string, string> } | null } }).document;
        const state = doc?.querySelector('[data-testid="job-state"]')?.dataset.state;
        return state === 'active' && Number(doc?.querySelector('[data-testid="job-curves"]')?.dataset.epochs ?? 0) >= 2;
      },
      undefined,
      RUNS,
    );
    expect(await page.getByTestId('job-curves').locator('h2').textContent()).toBe('Training curves (live)');
    await shot('job-train-live');
    await page.getByTestId('job-cancel').click();
    await page.locator('[data-testid="job-state"][data-state="cancelled"]').waitFor(RUNS);
    expect((await api('GET', `/v1/jobs/${id}`)).body.state).toBe('cancelled');
  });

  it('scores with the model picked by name and shows users and k', async () => {
    await page.goto(`${dashboardUrl}/#/new?kind=ssm.score`);
    await page.getByTestId('score-form').waitFor(SHOWS);
    const label = (await page.getByTestId('score-model').locator('option').allTextContents()).find((t) => t.startsWith(`${modelName} · cycles`));
    expect(label).toBeDefined();
    await page.getByTestId('score-model').selectOption({ label: label as string });
    expect(await page.getByTestId('score-k').inputValue()).toBe('10');
    await page.getByTestId('score-k').fill('5');
    await shot('new-score');
    await page.getByTestId('score-submit').click();
    await page.getByTestId('view-job').waitFor(SHOWS);
    await page.locator('[data-testid="job-state"][data-state="completed"]').waitFor(RUNS);
    expect(await page.getByTestId('result-users').textContent()).toBe('120');
    expect(await page.getByTestId('result-k').textContent()).toBe('5');
    await page.locator(`[data-testid="job-input-name"]:has-text("${modelName}")`).waitFor(SHOWS);
    await shot('job-score');
  });

  it('uploads a QUBO problem from the form, then solves it picked by name', async () => {
    await page.goto(`${dashboardUrl}/#/new?kind=qubo.solve`);
    await page.getByTestId('qubo-form').waitFor(SHOWS);
    await page
      .getByTestId('qubo-problem-file')
      .setInputFiles({ name: 'triangle.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(TRIANGLE)) });
    expect(await page.getByTestId('qubo-problem-name').inputValue()).toBe('triangle');
    await page.getByTestId('qubo-problem-upload').click();
    await page.locator('[data-testid="qubo-upload-progress"][aria-valuenow="100"]').waitFor(SHOWS);
    await page.locator('[data-testid="qubo-upload-message"]:has-text("Stored 1 problem")').waitFor(SHOWS);
    const problems = (await api('GET', '/v1/qubo/problems')).body.items as Array<{ id: string; name: string }>;
    problemId = problems.find((p) => p.name === 'triangle')?.id as string;
    expect(problemId).toBeDefined();
    expect(await page.getByTestId('qubo-problem').inputValue()).toBe(problemId);

    // Picked by its name (what an operator sees), with parameters from the catalog's fields.
    await page.getByTestId('qubo-problem').selectOption({ label: 'triangle · n 3 · 3 terms · qubo' });
    await page.getByTestId('qubo-param-target').fill('-1');
    await page.getByTestId('qubo-param-timeLimitMs').fill('5000');
    await page.getByTestId('qubo-param-seed').fill('1');
    await shot('new-qubo');
    await page.getByTestId('qubo-submit-button').click();
    await page.getByTestId('view-job').waitFor(SHOWS);
    await page.locator('[data-testid="job-state"][data-state="completed"]').waitFor(RUNS);
    expect(await page.getByTestId('result-energy').textContent()).toBe('-1');
    expect(await page.getByTestId('result-time-to-best').textContent()).toMatch(/ms|s$/);
    await page.locator('[data-testid="job-input-name"]:has-text("triangle")').waitFor(SHOWS);
    const job = (await api('GET', `/v1/jobs/${jobIdFromUrl()}`)).body;
    expect(job.payload).toMatchObject({ problemId, params: { target: -1, timeLimitMs: 5000, seed: 1 } });
    await shot('job-qubo');
  });

  it('shows names beside ids on the jobs list and the models page, and bolds a best metric only within a dataset', async () => {
    await page.goto(`${dashboardUrl}/#/jobs`);
    const row = page.getByTestId(`job-row-${trainJobId}`);
    await row.waitFor(SHOWS);
    await row.locator('[data-testid="job-input-name"]:has-text("cycles")').waitFor(SHOWS);
    expect(await page.evaluate(overflowOf('jobs-table'))).toBe(0);
    await shot('jobs');
    await page.getByTestId('nav-models').click();
    await page.getByTestId('models-table').locator('[data-testid="model-dataset-name"]:has-text("cycles")').first().waitFor(SHOWS);
    // One model per dataset: nothing to compare, nothing bold.
    expect(await page.locator('.best-value').count()).toBe(0);
    // Every column fits at 1280 px (the created column used to be clipped).
    expect(await page.evaluate(overflowOf('models-table'))).toBe(0);
    expect(await page.getByTestId('models-table').locator('tbody td time').first().isVisible()).toBe(true);
    await shot('models');
  });

  it('bulk-cancels every waiting QUBO job selected by filter, then bulk-retries them', async () => {
    expect((await api('POST', '/v1/queues/qubo-solve/pause')).status).toBe(200);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const submitted = await api('POST', '/v1/jobs', { kind: 'qubo.solve', payload: { problemId, params: { seed: i + 1, timeLimitMs: 1000 } } });
      expect(submitted.status).toBe(201);
      ids.push(submitted.body.id as string);
    }
    await page.goto(`${dashboardUrl}/#/jobs?kind=qubo.solve&state=waiting`);
    for (const id of ids) await page.getByTestId(`job-row-${id}`).waitFor(SHOWS);
    await page.getByTestId('jobs-select-matching').click();
    await page.locator('[data-testid="jobs-selected-count"]:has-text("3 selected")').waitFor(SHOWS);
    await shot('jobs-bulk');
    await page.getByTestId('jobs-bulk-cancel').click();
    await page.locator('[data-testid="jobs-bulk-result"][data-done="3"]').waitFor(SHOWS);
    for (const id of ids) expect((await api('GET', `/v1/jobs/${id}`)).body.state).toBe('cancelled');
    await page.getByTestId('jobs-empty').waitFor(SHOWS);

    // And retried the same way: the cancelled QUBO jobs, selected by filter, wait again.
    await page.goto(`${dashboardUrl}/#/jobs?kind=qubo.solve&state=cancelled`);
    for (const id of ids) await page.getByTestId(`job-row-${id}`).waitFor(SHOWS);
    await page.getByTestId('jobs-select-matching').click();
    await page.locator('[data-testid="jobs-selected-count"]:has-text("3 selected")').waitFor(SHOWS);
    await page.getByTestId('jobs-bulk-retry').click();
    await page.locator('[data-testid="jobs-bulk-result"][data-done="3"]').waitFor(SHOWS);
    for (const id of ids) expect((await api('GET', `/v1/jobs/${id}`)).body.state).toBe('waiting');
    expect((await api('POST', '/v1/queues/qubo-solve/resume')).status).toBe(200);
    for (const id of ids) {
      await page.goto(`${dashboardUrl}/#/jobs/${id}`);
      await page.locator('[data-testid="job-state"][data-state="completed"]').waitFor(RUNS);
    }
  });

  it('starts a train → score pipeline from the pipelines page and follows its steps', async () => {
    await page.getByTestId('nav-pipelines').click();
    await page.getByTestId('pipelines-empty').waitFor(SHOWS);
    await page.getByTestId('pipeline-panel').locator('summary').click();
    await page.getByTestId('pipeline-dataset').selectOption({ label: 'cycles · 120 users' });
    await page.getByTestId('pipeline-name').fill('cycles nightly');
    await page.getByTestId('pipeline-max-epochs').fill('2');
    await page.getByTestId('pipeline-k').fill('3');
    await page.getByTestId('pipeline-submit').click();
    await page.getByTestId('view-pipeline').waitFor(SHOWS);
    await page.locator('[data-testid="pipeline-state"][data-state="completed"]').waitFor(RUNS);
    expect(await page.getByTestId('pipeline-title').textContent()).toBe('cycles nightly');
    for (const i of [0, 1]) expect(await page.getByTestId(`pipeline-step-${i}`).getAttribute('data-state')).toBe('completed');
    expect(await page.getByTestId('pipeline-step-0').textContent()).toContain('cycles');
    await shot('pipeline');
    await page.getByTestId('nav-pipelines').click();
    await page.locator('[data-testid^="pipeline-row-"] [data-testid="pipeline-state"][data-state="completed"]').waitFor(SHOWS);
    await shot('pipelines');
  });

  it('lists a tune and follows its trials to the best one, highlighted, with its model', async () => {
    const datasets = (await api('GET', '/v1/datasets')).body.items as Array<{ id: string; name: string }>;
    const datasetId = datasets.find((d) => d.name === 'cycles')?.id;
    const created = await api('POST', '/v1/tunes', {
      name: 'cycles lr',
      datasetId,
      base: { model: { hiddenSize: 8, maxLen: 12, dState: 4 }, training: { maxEpochs: 2, patience: 2, seed: 3 } },
      search: { 'training.lr': [0.001, 0.01] },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    await page.getByTestId('nav-tunes').click();
    await page.getByTestId(`tune-row-${id}`).waitFor(SHOWS);
    await page.getByTestId(`tune-row-${id}`).getByTestId('tune-link').locator('a').click();
    await page.getByTestId('view-tune').waitFor(SHOWS);
    await page.locator('[data-testid="view-tune"] [data-testid="tune-state"][data-state="completed"]').waitFor(RUNS);
    expect(await page.getByTestId('tune-title').textContent()).toBe('cycles lr');
    await page.getByTestId('tune-best').waitFor(SHOWS);
    const tune = (await api('GET', `/v1/tunes/${id}`)).body;
    for (const trial of tune.trials as Array<{ index: number; objective: number; params: Record<string, number> }>) {
      const row = page.getByTestId(`tune-trial-${trial.index}`);
      expect(await row.getAttribute('data-state')).toBe('completed');
      expect(await row.getByTestId('trial-objective').textContent()).toBe(trial.objective.toFixed(4));
      expect(await row.textContent()).toContain(`training.lr=${trial.params['training.lr']}`);
    }
    // The best trial's row is the one highlighted, and its model is linked.
    expect(await page.locator('[data-testid^="tune-trial-"][data-best="true"]').getAttribute('data-testid')).toBe(`tune-trial-${tune.best.trial}`);
    expect(await page.getByTestId('tune-best-model').getAttribute('href')).toBe(`#/models/${tune.best.modelId}`);
    expect(await page.getByTestId('tune-cancel').isHidden()).toBe(true);
    await shot('tune');
    await page.getByTestId('nav-tunes').click();
    await page.locator(`[data-testid="tune-row-${id}"] [data-testid="tune-state"][data-state="completed"]`).waitFor(SHOWS);
    await shot('tunes');
  });

  it('lists a schedule with its firings, pauses it and deletes it from the schedules page', async () => {
    const created = await api('POST', '/v1/schedules', {
      name: 'hourly triangle',
      everyMs: 3_600_000,
      target: { job: { kind: 'qubo.solve', payload: { problemId, params: { timeLimitMs: 500, target: -1 } } } },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    await page.getByTestId('nav-schedules').click();
    const row = page.getByTestId(`schedule-row-${id}`);
    await row.waitFor(SHOWS);
    expect(await row.textContent()).toContain('every 1 h 0 min');
    expect(await row.textContent()).toContain('job qubo.solve');
    await row.getByTestId('job-link').first().waitFor(SHOWS); // it fires at once: the first firing's job
    await shot('schedules');
    await row.getByTestId('schedule-pause').click();
    await page.locator(`[data-testid="schedule-row-${id}"][data-state="paused"]`).waitFor(SHOWS);
    expect((await api('GET', `/v1/schedules/${id}`)).body.state).toBe('paused');
    await page.getByTestId(`schedule-row-${id}`).getByTestId('schedule-delete').click();
    await page.getByTestId('schedules-empty').waitFor(SHOWS);
    expect((await api('GET', `/v1/schedules/${id}`)).status).toBe(404);
  });

  it('flags an active job whose lock is gone (its worker died) on the workers view and the jobs list', async () => {
    // A long solve; then its lock is deleted, as when a dead worker's lock expires.
    const submitted = await api('POST', '/v1/jobs', { kind: 'qubo.solve', payload: { problemId, params: { timeLimitMs: 60_000, restarts: true } } });
    const id = submitted.body.id as string;
    await page.goto(`${dashboardUrl}/#/workers`);
    await page.locator(`[data-testid="worker-job-${id}"][data-orphaned="false"]`).waitFor(RUNS);
    const { createRedis } = await import('@kiln/queue');
    const redis = createRedis(redisUrl, 'producer');
    try {
      expect(await redis.del(`${platform.prefix}:qubo-solve:${id}:lock`)).toBe(1);
    } finally {
      redis.disconnect();
    }
    await page.locator(`[data-testid="worker-job-${id}"][data-orphaned="true"]`).waitFor(SHOWS);
    await shot('workers-orphaned');
    await page.goto(`${dashboardUrl}/#/jobs?kind=qubo.solve&state=active`);
    await page.getByTestId(`job-row-${id}`).getByTestId('job-orphaned').waitFor(SHOWS);
    await page.getByTestId(`job-row-${id}`).getByTestId('job-link').click();
    await page.getByTestId('job-orphaned-warning').waitFor(SHOWS);
    await api('POST', `/v1/jobs/${id}/cancel`);
  });

  it('threw no uncaught errors in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
