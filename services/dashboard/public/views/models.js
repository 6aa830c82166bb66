// Models: trained Mamba4Rec models with their test metrics; detail with the per-epoch history.
import { ApiError, api, path } from '../lib/api.js';
import { can } from '../lib/session.js';
import { h, jsonBlock, keyValues, setChildren } from '../lib/dom.js';
import { fmtFloat, fmtInt, fmtMetric, isNum } from '../lib/format.js';
import { linePlot } from '../lib/plot.js';
import { epochTable, metricKeys, metricLabel } from '../lib/progress.js';
import { loadNames } from '../lib/lists.js';
import { emptyRow, errorBox, jobLink, namedId, timeCell, viewHeader } from '../lib/ui.js';

const HEADLINE = ['hr@10', 'ndcg@10', 'mrr@10'];

export async function modelsView(root, { signal }) {
  const status = h('div', { class: 'view-status' });
  const tbody = h('tbody');
  const columns = ['Model', 'Backend', ...HEADLINE.map((m) => `test ${metricLabel(m)}`), 'Best epoch', 'Parameters', 'Dataset', 'Job', 'Created'];
  setChildren(
    root,
    h(
      'section',
      { 'data-testid': 'view-models' },
      viewHeader('Models', { sub: 'Trained Mamba4Rec models, test metrics (full ranking)' }),
      status,
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'table', 'data-testid': 'models-table' },
          h(
            'thead',
            null,
            h(
              'tr',
              null,
              columns.map((c, i) => h('th', { class: i >= 2 && i <= 6 ? 'num' : null }, c)),
            ),
          ),
          tbody,
        ),
      ),
    ),
  );
  try {
    const data = await api('/v1/models', { signal });
    if (signal.aborted) return;
    const items = Array.isArray(data?.items) ? data.items : [];
    if (items.length === 0) {
      setChildren(tbody, emptyRow(columns.length, 'No models yet: run an ssm.train job.', 'models-empty'));
      return;
    }
    const names = await loadNames();
    if (signal.aborted) return;
    // Bold the best value of each headline metric among the models of the same dataset only:
    // metrics of different datasets do not compare.
    const byDataset = Map.groupBy(items, (model) => model.datasetId);
    const bestOf = (model, m) => {
      const peers = byDataset.get(model.datasetId) ?? [];
      if (peers.length < 2) return false;
      const value = model.metrics?.test?.[m];
      return isNum(value) && value === Math.max(...peers.map((p) => p.metrics?.test?.[m]).filter(isNum));
    };
    setChildren(
      tbody,
      items.map((model) =>
        h(
          'tr',
          { 'data-testid': `model-row-${model.id}` },
          h(
            'td',
            null,
            h('a', { href: `#/models/${encodeURIComponent(model.id)}`, 'data-testid': 'model-link' }, model.name ?? model.id),
            model.version === undefined ? null : h('span', { class: 'muted' }, ` v${model.version}`),
          ),
          h('td', null, model.backend ?? '—'),
          HEADLINE.map((m) => {
            const value = model.metrics?.test?.[m];
            return h(
              'td',
              { class: ['num', bestOf(model, m) ? 'best-value' : ''], title: bestOf(model, m) ? 'best among the models of this dataset' : null },
              fmtMetric(value),
            );
          }),
          h('td', { class: 'num' }, fmtInt(model.bestEpoch)),
          h('td', { class: 'num' }, fmtInt(model.parameters)),
          h('td', null, model.datasetId ? namedId(names.datasets.get(model.datasetId)?.name ?? null, model.datasetId, { testid: 'model-dataset-name' }) : '—'),
          h('td', null, model.jobId ? jobLink(model.jobId) : '—'),
          h('td', { class: 'nowrap' }, timeCell(model.createdAt)),
        ),
      ),
    );
  } catch (error) {
    if (error?.name !== 'AbortError') setChildren(status, errorBox(error));
  }
}

export async function modelView(root, { params, signal }) {
  const id = params[0];
  const status = h('div', { class: 'view-status' });
  const body = h('div', { class: 'detail-body' });
  const title = h('span', { 'data-testid': 'model-title' }, `Model ${id}`);
  setChildren(
    root,
    h(
      'section',
      { 'data-testid': 'view-model', 'data-model-id': id },
      h('p', { class: 'crumbs' }, h('a', { href: '#/models' }, '← Models')),
      viewHeader(title, {
        right: can('submit')
          ? h(
              'a',
              { class: 'btn primary', href: `#/new?kind=ssm.score&model=${encodeURIComponent(id)}`, 'data-testid': 'model-score-link' },
              'Score users with this model',
            )
          : null,
      }),
      status,
      body,
    ),
  );
  let model;
  try {
    model = await api(path('/v1/models', id), { signal });
  } catch (error) {
    if (error?.name === 'AbortError') return;
    setChildren(status, errorBox(error instanceof ApiError && error.status === 404 ? new Error(`No model with id ${id}.`) : error));
    return;
  }
  const names = await loadNames();
  if (signal.aborted) return;
  setChildren(title, `${model.name ?? 'Model'}${model.version === undefined ? '' : ` v${model.version}`}`);

  const splits = ['test', 'testMasked', 'valid'].filter((split) => model.metrics?.[split]);
  const keys = metricKeys(...splits.map((split) => model.metrics[split]));
  const epochs = Array.isArray(model.epochs) ? model.epochs : [];
  const ndcgKey = keys.find((key) => key.toLowerCase() === 'ndcg@10') ?? keys.find((key) => key.toLowerCase().startsWith('ndcg'));

  setChildren(
    body,
    h(
      'div',
      { class: 'card' },
      h('h2', null, 'Summary'),
      keyValues(
        [
          ['Id', h('span', { class: 'mono' }, model.id)],
          ['Backend', model.backend ?? '—'],
          ['Dataset', model.datasetId ? namedId(names.datasets.get(model.datasetId)?.name ?? null, model.datasetId, { testid: 'model-dataset' }) : '—'],
          ['Training job', model.jobId ? jobLink(model.jobId) : '—'],
          ['Best epoch', fmtInt(model.bestEpoch)],
          ['Parameters', fmtInt(model.parameters)],
          ['Created', timeCell(model.createdAt)],
        ],
        'model-summary',
        { layout: 'grid' },
      ),
    ),
    h(
      'div',
      { class: 'card' },
      h('h2', null, 'Metrics'),
      splits.length === 0
        ? h('p', { class: 'muted' }, 'No metrics recorded.')
        : h(
            'div',
            { class: 'table-wrap' },
            h(
              'table',
              { class: 'table compact', 'data-testid': 'model-metrics' },
              h(
                'thead',
                null,
                h(
                  'tr',
                  null,
                  h('th', null, 'Split'),
                  keys.map((key) => h('th', { class: 'num' }, metricLabel(key))),
                ),
              ),
              h(
                'tbody',
                null,
                splits.map((split) =>
                  h(
                    'tr',
                    null,
                    h('th', { scope: 'row' }, split),
                    keys.map((key) => h('td', { class: 'num' }, fmtMetric(model.metrics[split][key]))),
                  ),
                ),
              ),
            ),
          ),
    ),
    h(
      'div',
      { class: 'card' },
      h('h2', null, 'Training epochs'),
      epochs.length === 0
        ? h('p', { class: 'muted' }, 'No epoch history recorded.')
        : [
            h(
              'div',
              { class: 'plots' },
              linePlot({
                points: epochs.map((e) => [e.epoch, e.loss]),
                xLabel: 'epoch',
                yLabel: 'loss',
                title: 'Training loss',
                formatX: fmtInt,
                integerX: true,
                highlight: model.bestEpoch,
                testid: 'model-loss-plot',
              }),
              ndcgKey
                ? linePlot({
                    points: epochs.map((e) => [e.epoch, e.valid?.[ndcgKey]]),
                    xLabel: 'epoch',
                    yLabel: `valid ${metricLabel(ndcgKey)}`,
                    title: `Validation ${metricLabel(ndcgKey)}`,
                    formatX: fmtInt,
                    integerX: true,
                    formatY: (v) => fmtFloat(v),
                    highlight: model.bestEpoch,
                    testid: 'model-valid-plot',
                  })
                : null,
            ),
            epochTable(epochs, { bestEpoch: model.bestEpoch, testid: 'model-epochs' }),
          ],
    ),
    model.config === undefined || model.config === null
      ? null
      : h('div', { class: 'card' }, h('h2', null, 'Configuration'), jsonBlock(model.config, 'model-config')),
  );
}
