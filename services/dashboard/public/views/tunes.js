// Tunes (hyperparameter search, docs/adr/0022): the list, and a tune's page with its trials (params,
// state, validation NDCG@10, test NDCG@10 and HR@10, job, model), the best trial highlighted; cancel.
import { ApiError, api, path } from '../lib/api.js';
import { h, jsonBlock, keyValues, setChildren, setText } from '../lib/dom.js';
import { DASH, fmtInt, fmtMetric, shortId } from '../lib/format.js';
import { listAll, loadNames, nameOf } from '../lib/lists.js';
import { can } from '../lib/session.js';
import { emptyRow, errorBox, flash, jobLink, namedId, poll, runAction, stateBadge, timeCell, updatedLabel, viewHeader } from '../lib/ui.js';

const ENDED = new Set(['completed', 'failed', 'cancelled']);

/** `training.lr=0.001 · model.dropout=0.2` */
function paramsText(params) {
  return Object.entries(params ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(' · ');
}

/** Model ids the names were already read again for (a deleted model is not looked for on every poll). */
const lookedFor = new Set();

/** The names of datasets and models, read again when a tune names a model they do not know yet (a trial just finished). */
async function namesFor(tunes) {
  const names = await loadNames();
  const unknown = tunes.flatMap((t) => t.trials.map((x) => x.modelId)).filter((id) => id && !names.models.has(id) && !lookedFor.has(id));
  if (unknown.length === 0) return names;
  for (const id of unknown) lookedFor.add(id);
  return loadNames({ fresh: true });
}

function modelLink(id, names, testid = 'model-link') {
  if (!id) return DASH;
  const name = nameOf(names, { type: 'model', id });
  return h('a', { href: `#/models/${encodeURIComponent(id)}`, class: name ? null : 'mono', title: id, 'data-testid': testid }, name ?? shortId(id));
}

/** `3/8 done · 2 running · 1 failed` */
function trialCounts(tune) {
  const c = tune.counts;
  const ended = c.completed + c.failed + c.cancelled;
  return [
    `${ended}/${tune.trials.length} done`,
    c.running ? `${c.running} running` : null,
    c.failed ? `${c.failed} failed` : null,
    c.cancelled ? `${c.cancelled} cancelled` : null,
  ]
    .filter(Boolean)
    .join(' · ');
}

export async function tunesView(root, { signal }) {
  const updated = updatedLabel();
  const status = h('div', { class: 'view-status' });
  const tbody = h('tbody');
  const columns = ['Tune', 'State', 'Search', 'Trials', 'Best valid NDCG@10', 'Best model', 'Created', 'Ended'];
  setChildren(
    root,
    h(
      'section',
      { 'data-testid': 'view-tunes' },
      viewHeader('Tuning', {
        sub: 'Hyperparameter searches: each trial an ssm.train job, the best model kept on validation NDCG@10 (start one with POST /v1/tunes or `kiln tune start`)',
        right: updated.el,
      }),
      status,
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'table', 'data-testid': 'tunes-table' },
          h(
            'thead',
            null,
            h(
              'tr',
              null,
              columns.map((c) => h('th', null, c)),
            ),
          ),
          tbody,
        ),
      ),
    ),
  );
  const refresh = async () => {
    const items = await listAll('/v1/tunes', { signal, max: 200 });
    const names = await namesFor(items);
    if (signal.aborted) return;
    setChildren(status);
    setChildren(
      tbody,
      items.length === 0
        ? emptyRow(columns.length, 'No tunes yet.', 'tunes-empty')
        : items.map((t) =>
            h(
              'tr',
              { 'data-testid': `tune-row-${t.id}` },
              h('td', null, namedId(t.name, t.id, { href: `#/tunes/${encodeURIComponent(t.id)}`, testid: 'tune-link' })),
              h('td', null, stateBadge(t.state, 'tune-state')),
              h('td', { class: 'input-cell' }, `${t.strategy}: ${Object.keys(t.search).join(', ')}`),
              h('td', { class: 'nowrap' }, trialCounts(t)),
              h('td', { class: 'num' }, fmtMetric(t.best?.objective)),
              h('td', null, modelLink(t.best?.modelId, names)),
              h('td', { class: 'nowrap' }, timeCell(t.createdAt)),
              h('td', { class: 'nowrap' }, timeCell(t.endedAt)),
            ),
          ),
    );
    updated.touch();
  };
  await poll(refresh, 3000, signal, (error) => setChildren(status, errorBox(error)));
}

function trialsTable(tune, names) {
  const best = tune.best?.trial;
  return h(
    'table',
    { class: 'table', 'data-testid': 'tune-trials' },
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        ['#', 'Params', 'State', 'Valid NDCG@10', 'Test NDCG@10', 'Test HR@10', 'Job', 'Model', 'Error'].map((c) => h('th', null, c)),
      ),
    ),
    h(
      'tbody',
      null,
      tune.trials.map((trial) =>
        h(
          'tr',
          {
            class: trial.index === best ? 'best' : null,
            'data-testid': `tune-trial-${trial.index}`,
            'data-state': trial.state,
            'data-best': trial.index === best ? 'true' : undefined,
          },
          h('td', { class: 'num' }, String(trial.index), trial.index === best ? h('span', { class: 'best-mark', title: 'best trial' }, ' ★') : null),
          h('td', { class: 'input-cell mono' }, paramsText(trial.params)),
          h('td', null, stateBadge(trial.state, 'trial-state')),
          h('td', { class: trial.index === best ? 'num best-value' : 'num', 'data-testid': 'trial-objective' }, fmtMetric(trial.objective)),
          h('td', { class: 'num' }, fmtMetric(trial.test?.['ndcg@10'])),
          h('td', { class: 'num' }, fmtMetric(trial.test?.['hr@10'])),
          h('td', null, trial.jobId ? jobLink(trial.jobId) : DASH),
          h('td', null, modelLink(trial.modelId, names)),
          h('td', { class: 'input-cell' }, trial.error && trial.state !== 'completed' ? `${trial.error.code}: ${trial.error.message}` : ''),
        ),
      ),
    ),
  );
}

export async function tuneView(root, { params, signal }) {
  const id = params[0];
  const updated = updatedLabel();
  const status = h('div', { class: 'view-status' });
  const body = h('div', { class: 'detail-body' });
  const stateSlot = h('span');
  const cancel = h('button', { type: 'button', class: 'btn danger', 'data-testid': 'tune-cancel', hidden: true }, 'Cancel tune');
  const title = h('span', { 'data-testid': 'tune-title' }, `Tune ${id}`);
  setChildren(
    root,
    h(
      'section',
      { 'data-testid': 'view-tune', 'data-tune-id': id },
      h('p', { class: 'crumbs' }, h('a', { href: '#/tunes' }, '← Tuning')),
      viewHeader(title, { sub: stateSlot, right: [updated.el, can('submit') ? cancel : null] }),
      status,
      body,
    ),
  );
  let tune = null;
  const refresh = async () => {
    try {
      tune = await api(path('/v1/tunes', id), { signal });
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        setChildren(status, errorBox(new Error(`No tune with id ${id}.`)));
        return;
      }
      throw error;
    }
    const names = await namesFor([tune]);
    if (signal.aborted) return;
    setText(title, tune.name ?? `Tune ${id}`);
    setChildren(stateSlot, stateBadge(tune.state, 'tune-state'), ` ${trialCounts(tune)}`);
    cancel.hidden = ENDED.has(tune.state);
    const dataset = nameOf(names, { type: 'dataset', id: tune.datasetId });
    setChildren(
      body,
      tune.best
        ? h(
            'div',
            { class: 'card', 'data-testid': 'tune-best' },
            h('h2', null, 'Best trial'),
            keyValues(
              [
                ['Trial', `${tune.best.trial} (${paramsText(tune.best.params)})`],
                ['Valid NDCG@10', h('strong', null, fmtMetric(tune.best.objective))],
                ['Test NDCG@10', fmtMetric(tune.best.test?.['ndcg@10'])],
                ['Test HR@10', fmtMetric(tune.best.test?.['hr@10'])],
                ['Model', modelLink(tune.best.modelId, names, 'tune-best-model')],
              ],
              'tune-best-summary',
              { layout: 'grid' },
            ),
          )
        : null,
      h('div', { class: 'card' }, h('h2', null, 'Trials'), h('div', { class: 'table-wrap' }, trialsTable(tune, names))),
      tune.error
        ? h('div', { class: 'card card-error', 'data-testid': 'tune-error' }, h('h2', null, 'Error'), `${tune.error.code}: ${tune.error.message}`)
        : null,
      h(
        'div',
        { class: 'card' },
        keyValues(
          [
            ['Dataset', namedId(dataset, tune.datasetId)],
            ['Strategy', `${tune.strategy}${tune.seed !== null ? ` (seed ${tune.seed})` : ''}`],
            ['Trials', `${fmtInt(tune.trials.length)}${tune.space.truncated ? ` of a ${fmtInt(tune.space.size)}-point grid (cut to maxTrials)` : ''}`],
            ['At a time', fmtInt(tune.parallelism)],
            ['Objective', `${tune.objective} (highest wins; ties: the lower trial)`],
            ['Created', timeCell(tune.createdAt)],
            ['Ended', timeCell(tune.endedAt)],
          ],
          'tune-summary',
          { layout: 'grid' },
        ),
        h('details', { class: 'raw' }, h('summary', null, 'Search and base settings'), jsonBlock({ search: tune.search, base: tune.base })),
        h('details', { class: 'raw' }, h('summary', null, 'Raw JSON'), jsonBlock(tune)),
      ),
    );
    setChildren(status);
    updated.touch();
  };
  cancel.addEventListener('click', () =>
    runAction(cancel, async () => {
      await api(path('/v1/tunes', id, 'cancel'), { method: 'POST' });
      flash(`Tune ${id}: cancel requested`);
      await refresh();
    }),
  );
  await poll(
    refresh,
    () => (tune !== null && ENDED.has(tune.state) && tune.counts.running === 0 ? 10_000 : 2000),
    signal,
    (error) => setChildren(status, errorBox(error)),
  );
}
