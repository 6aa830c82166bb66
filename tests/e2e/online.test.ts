import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSsmWorker } from '../../services/worker-ssm/src/worker.js';
import { get, type Platform, post, quietLog, redisUrl, startPlatform, waitForJob } from '../helpers.js';
import { kiln } from './kiln-cli.js';

// Online recommendations (issue 14): a user's top-K from the model's recurrent state, one model step
// per new event. The model is real: one epoch of a tiny Mamba4Rec trained by worker-ssm on a cycle.

const nItems = 20;

/** Users walking a cycle of items (u3 starts at item-3), as CSV with string ids. */
function cyclesCsv(users: number, length: number): string {
  const rows = ['user_id,item_id,timestamp'];
  for (let u = 0; u < users; u++) for (let t = 0; t < length; t++) rows.push(`u${u},item-${(u + t) % nItems},${1_000_000 + u * 100 + t}`);
  return `${rows.join('\n')}\n`;
}

describe('online recommendations from the recurrent state', () => {
  let p: Platform;
  let modelId = '';
  let readKey = '';
  beforeAll(async () => {
    p = await startPlatform();
    const worker = await startSsmWorker({ redisUrl, databaseUrl: p.db.url, prefix: p.prefix, trainConcurrency: 1, scoreConcurrency: 1, log: quietLog });
    try {
      const up = await p.api.inject({
        method: 'POST',
        url: '/v1/datasets?format=csv&name=cycles&kcore=0',
        payload: cyclesCsv(40, 8),
        headers: { 'content-type': 'text/csv' },
      });
      expect(up.statusCode).toBe(201);
      const train = await post(p.api, '/v1/jobs', {
        kind: 'ssm.train',
        payload: {
          datasetId: up.json().id,
          name: 'online',
          model: { hiddenSize: 8, maxLen: 8, dState: 4 },
          training: { maxEpochs: 1, patience: 1, batchSize: 16, seed: 3 },
        },
      });
      expect(train.status).toBe(201);
      const job = await waitForJob(p.api, train.body.id);
      expect(job.state, JSON.stringify(job.error)).toBe('completed');
      modelId = job.result.modelId;
    } finally {
      await worker.close();
    }
    const key = await post(p.api, '/v1/keys', { name: 'viewer', scopes: ['read'] });
    expect(key.status).toBe(201);
    readKey = key.body.key;
  });
  afterAll(async () => {
    await p?.close();
  });

  const eventsUrl = (user: string, model = modelId) => `/v1/models/${model}/users/${encodeURIComponent(user)}/events`;
  const recsUrl = (user: string, query = '', model = modelId) => `/v1/models/${model}/users/${encodeURIComponent(user)}/recommendations${query}`;

  it('answers k items and version 1 to the first POST for a new user; GET answers the same', async () => {
    const empty = await get(p.api, recsUrl('new user/1'));
    expect(empty.status).toBe(200);
    expect(empty.body).toEqual({ modelId, user: 'new user/1', events: 0, version: 0, items: [] });

    const posted = await post(p.api, eventsUrl('new user/1'), { items: ['item-3', 'item-4'], k: 5 });
    expect(posted.status).toBe(200);
    expect(posted.body).toMatchObject({ modelId, user: 'new user/1', events: 2, version: 1 });
    expect(posted.body.items).toHaveLength(5);
    for (const r of posted.body.items) {
      expect(r.item).toMatch(/^item-\d+$/);
      expect(Number.isFinite(r.score)).toBe(true);
    }
    const scores = posted.body.items.map((r: { score: number }) => r.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));

    const read = await get(p.api, recsUrl('new user/1', '?k=5'));
    expect(read.status).toBe(200);
    expect(read.body).toEqual(posted.body);
  });

  it('starts a user of the dataset from their history (primed by the training job), then counts each new event', async () => {
    // u4 walked item-4 … item-11 (8 events).
    const history = Array.from({ length: 8 }, (_, t) => `item-${(4 + t) % nItems}`);
    const primed = await get(p.api, recsUrl('u4', `?k=${nItems}`));
    expect(primed.status).toBe(200);
    expect(primed.body.events).toBe(history.length);
    const items = primed.body.items.map((r: { item: string }) => r.item);
    expect(items).toHaveLength(nItems - history.length);
    for (const h of history) expect(items).not.toContain(h);

    const posted = await post(p.api, eventsUrl('u4'), { items: ['item-12'] });
    expect(posted.status).toBe(200);
    expect(posted.body).toMatchObject({ events: history.length + 1, version: primed.body.version + 1 });
  });

  it('leaves out the items the user has seen unless excludeSeen is false', async () => {
    const seen = ['item-1', 'item-2', 'item-3'];
    const posted = await post(p.api, eventsUrl('seen'), { items: seen, k: nItems });
    expect(posted.status).toBe(200);
    const items = posted.body.items.map((r: { item: string }) => r.item);
    for (const s of seen) expect(items).not.toContain(s);
    expect(items).toHaveLength(nItems - seen.length);

    const all = await get(p.api, recsUrl('seen', `?k=${nItems}&excludeSeen=false`));
    expect(all.status).toBe(200);
    expect(all.body.items).toHaveLength(nItems);
    expect(all.body.items.map((r: { item: string }) => r.item)).toEqual(expect.arrayContaining(seen));
    const excluded = await get(p.api, recsUrl('seen', `?k=${nItems}`));
    expect(excluded.body.items.map((r: { item: string }) => r.item)).toEqual(items);
  });

  it('refuses an unknown item with 400 KILN_ERR_ITEM_UNKNOWN naming items[i], and applies nothing', async () => {
    const first = await post(p.api, eventsUrl('careful'), { items: ['item-5'] });
    expect(first.status).toBe(200);
    const before = await get(p.api, recsUrl('careful'));

    const bad = await post(p.api, eventsUrl('careful'), { items: ['item-6', 'no-such-item', 'item-7'] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('KILN_ERR_ITEM_UNKNOWN');
    expect(bad.body.error.details.field).toBe('items[1]');

    const after = await get(p.api, recsUrl('careful'));
    expect(after.body).toEqual(before.body);
    expect(after.body).toMatchObject({ version: 1, events: first.body.events });
  });

  it('validates the body, the user and the query: 400 naming the field', async () => {
    const empty = await post(p.api, eventsUrl('v'), { items: [] });
    expect(empty.status).toBe(400);
    expect(empty.body.error.code).toBe('KILN_ERR_VALIDATION');
    expect(empty.body.error.details.issues[0].field).toBe('items');
    const bigK = await post(p.api, eventsUrl('v'), { items: ['item-1'], k: 1001 });
    expect(bigK.status).toBe(400);
    expect(bigK.body.error.details.issues[0].field).toBe('k');
    const control = await get(p.api, recsUrl('tab\there'));
    expect(control.status).toBe(400);
    expect(control.body.error.details.issues[0].field).toBe('params.user');
    const longUser = await get(p.api, recsUrl('u'.repeat(201)));
    expect(longUser.status).toBe(400);
    const badQuery = await get(p.api, recsUrl('v', '?excludeSeen=maybe'));
    expect(badQuery.status).toBe(400);
    expect(badQuery.body.error.details.issues[0].field).toBe('query.excludeSeen');
  });

  it('answers 404 for an unknown model', async () => {
    const none = '00000000-0000-4000-8000-000000000000';
    const posted = await post(p.api, eventsUrl('u1', none), { items: ['item-1'] });
    expect(posted.status).toBe(404);
    expect(posted.body.error.code).toBe('KILN_ERR_NOT_FOUND');
    const read = await get(p.api, recsUrl('u1', '', none));
    expect(read.status).toBe(404);
    expect(read.body.error.code).toBe('KILN_ERR_NOT_FOUND');
  });

  it('needs the submit scope to post events (403) and the read scope to read', async () => {
    const as = (method: 'GET' | 'POST', url: string, key: string, payload?: unknown) =>
      p.api.inject({ method, url, headers: { authorization: key ? `Bearer ${key}` : '' }, ...(payload ? { payload: payload as string } : {}) });
    const posted = await as('POST', eventsUrl('scoped'), readKey, { items: ['item-1'] });
    expect(posted.statusCode).toBe(403);
    expect(posted.json().error.code).toBe('KILN_ERR_FORBIDDEN');
    const read = await as('GET', recsUrl('scoped'), readKey);
    expect(read.statusCode).toBe(200);
    expect(read.json().version).toBe(0);
    const anonymous = await as('GET', recsUrl('scoped'), '');
    expect(anonymous.statusCode).toBe(401);
  });

  it('applies 20 concurrent POSTs for one user one after another: versions 1..20, every event counted', async () => {
    const user = 'busy';
    const initial = await get(p.api, recsUrl(user));
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => post(p.api, eventsUrl(user), { items: [`item-${i % nItems}`] })));
    for (const a of answers) expect(a.status).toBe(200);
    const versions = answers.map((a) => a.body.version as number).sort((a, b) => a - b);
    expect(versions).toEqual(Array.from({ length: 20 }, (_, i) => initial.body.version + i + 1));
    // Each answer saw its own state: the later the version, the more events.
    for (const a of answers) expect(a.body.events).toBe(initial.body.events + (a.body.version - initial.body.version));
    const final = await get(p.api, recsUrl(user));
    expect(final.body).toMatchObject({ version: initial.body.version + 20, events: initial.body.events + 20 });
  });

  it('kiln recs for: posts --event items and prints the top-K; without --event reads it', async () => {
    const apiUrl = await p.api.listen({ port: 0, host: '127.0.0.1' });
    const help = await kiln(apiUrl, p.adminKey, ['--help']);
    expect(help.out).toContain('recs for USER');
    const usage = await kiln(apiUrl, p.adminKey, ['recs', 'for', '--help']);
    expect(usage.out).toMatch(/--model ID[\s\S]*--event ITEM[\s\S]*--include-seen/);
    const posted = await kiln(apiUrl, p.adminKey, [
      'recs',
      'for',
      'cli-user',
      '--model',
      modelId,
      '--event',
      'item-8',
      '--event',
      'item-9',
      '-k',
      '3',
      '--json',
    ]);
    expect(posted.code, posted.err).toBe(0);
    const body = JSON.parse(posted.out);
    expect(body).toMatchObject({ modelId, user: 'cli-user', events: 2, version: 1 });
    expect(body.items).toHaveLength(3);

    const plain = await kiln(apiUrl, p.adminKey, ['recs', 'for', 'cli-user', '--model', modelId, '-k', '3']);
    expect(plain.code, plain.err).toBe(0);
    const lines = plain.out.trim().split('\n');
    expect(lines.map((l) => l.split('\t')[1])).toEqual(body.items.map((r: { item: string }) => r.item));
    expect(lines.map((l) => l.split('\t')[0])).toEqual(['1', '2', '3']);
    expect(plain.err).toContain('2 events, state version 1');

    const seen = await kiln(apiUrl, p.adminKey, ['recs', 'for', 'cli-user', '--model', modelId, '-k', String(nItems), '--include-seen', '--json']);
    expect(seen.code, seen.err).toBe(0);
    expect(JSON.parse(seen.out).items.map((r: { item: string }) => r.item)).toEqual(expect.arrayContaining(['item-8', 'item-9']));

    const unknown = await kiln(apiUrl, p.adminKey, ['recs', 'for', 'cli-user', '--model', modelId, '--event', 'nope']);
    expect(unknown.code).toBe(3);
    expect(unknown.err).toContain('KILN_ERR_ITEM_UNKNOWN');
    const noModel = await kiln(apiUrl, p.adminKey, ['recs', 'for', 'cli-user']);
    expect(noModel.code).toBe(2);
  });

  it('forgets the states of a deleted model', async () => {
    const res = await p.api.inject({ method: 'DELETE', url: `/v1/models/${modelId}` });
    expect(res.statusCode).toBe(204);
    const read = await get(p.api, recsUrl('new user/1'));
    expect(read.status).toBe(404);
  });
});
