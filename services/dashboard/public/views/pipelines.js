// Pipelines (train → score chains) and schedules (cron or every N ms): lists, a pipeline's steps,
// a train-then-score form, cancel; pause, resume and delete a schedule, with its latest firings.
import { ApiError, api, path } from '../lib/api.js';
import { h, jsonBlock, keyValues, setChildren, setText } from '../lib/dom.js';
import { fmtInt, fmtMs, fmtTime } from '../lib/format.js';
import { inputOf, listAll, loadNames, nameOf } from '../lib/lists.js';
import { can } from '../lib/session.js';
import { emptyRow, errorBox, flash, jobLink, kindTag, namedId, poll, runAction, stateBadge, timeCell, updatedLabel, viewHeader } from '../lib/ui.js';

const ENDED = new Set(['completed', 'failed', 'cancelled']);

function stepChips(pipeline) {
  return h(
    'span',
    { class: 'steps' },
    pipeline.steps.map((step, i) => [
      i > 0 ? h('span', { class: 'muted' }, ' → ') : null,
      h(
        'span',
        { class: `badge state-${step.state}`, 'data-testid': 'pipeline-step', 'data-state': step.state, title: step.jobId ?? 'not submitted yet' },
        `${step.kind} ${step.state}`,
      ),
    ]),
  );
}

export async function pipelinesView(root, { signal }) {
  const updated = updatedLabel();
  const status = h('div', { class: 'view-status' });
  const tbody = h('tbody');
  const columns = ['Pipeline', 'State', 'Steps', 'Created', 'Finished'];
  setChildren(
    root,
    h(
      'section',
      { 'data-testid': 'view-pipelines' },
      viewHeader('Pipelines', { sub: 'Jobs run one after another: a score step scores with the model its train step produced', right: updated.el }),
      can('submit') ? await pipelineForm(signal) : null,
      status,
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'table', 'data-testid': 'pipelines-table' },
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
    const items = await listAll('/v1/pipelines', { signal, max: 200 });
    if (signal.aborted) return;
    setChildren(status);
    setChildren(
      tbody,
      items.length === 0
        ? emptyRow(columns.length, 'No pipelines yet.', 'pipelines-empty')
        : items.map((p) =>
            h(
              'tr',
              { 'data-testid': `pipeline-row-${p.id}` },
              h('td', null, namedId(p.name, p.id, { href: `#/pipelines/${encodeURIComponent(p.id)}`, testid: 'pipeline-link' })),
              h('td', null, stateBadge(p.state, 'pipeline-state')),
              h('td', { class: 'input-cell' }, stepChips(p)),
              h('td', { class: 'nowrap' }, timeCell(p.createdAt)),
              h('td', { class: 'nowrap' }, timeCell(p.finishedAt)),
            ),
          ),
    );
    updated.touch();
  };
  await poll(refresh, 3000, signal, (error) => setChildren(status, errorBox(error)));
}

/** "Train, then score every user with the new model" from a dataset picked by name. */
async function pipelineForm(signal) {
  const datasets = await listAll('/v1/datasets', { signal }).catch(() => []);
  const dataset = h(
    'select',
    { 'data-testid': 'pipeline-dataset' },
    datasets.map((d) => h('option', { value: d.id }, `${d.name} · ${fmtInt(d.users)} users`)),
  );
  const name = h('input', { type: 'text', maxlength: 200, placeholder: 'nightly ml-1m', 'data-testid': 'pipeline-name' });
  const maxEpochs = h('input', { type: 'number', min: 1, max: 1000, step: 1, placeholder: 'preset default', 'data-testid': 'pipeline-max-epochs' });
  const k = h('input', { type: 'number', min: 1, max: 1000, step: 1, value: 10, 'data-testid': 'pipeline-k' });
  const message = h('p', { class: 'form-error', role: 'alert' });
  const button = h(
    'button',
    { type: 'submit', class: 'btn primary', 'data-testid': 'pipeline-submit', disabled: datasets.length === 0 },
    'Start train → score',
  );
  const field = (label, input) => h('label', { class: 'field' }, h('span', null, label), input);
  const form = h(
    'form',
    { class: 'upload-form', 'data-testid': 'pipeline-form' },
    h('div', { class: 'form-grid' }, field('Dataset', dataset), field('Name (optional)', name), field('Max epochs', maxEpochs), field('Items per user (k)', k)),
    message,
    h('div', { class: 'form-actions' }, button),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    setText(message, '');
    const training = maxEpochs.value === '' ? {} : { maxEpochs: Number(maxEpochs.value) };
    const body = {
      ...(name.value.trim() ? { name: name.value.trim() } : {}),
      steps: [
        { kind: 'ssm.train', payload: { datasetId: dataset.value, training } },
        { kind: 'ssm.score', payload: { k: Number(k.value) } },
      ],
    };
    const created = await runAction(button, () => api('/v1/pipelines', { method: 'POST', body }));
    if (created?.id) {
      flash(`Pipeline ${created.id} started`);
      location.hash = `#/pipelines/${encodeURIComponent(created.id)}`;
    }
  });
  return h(
    'details',
    { class: 'panel', 'data-testid': 'pipeline-panel' },
    h('summary', null, 'New pipeline: train, then score'),
    datasets.length === 0 ? h('p', { class: 'muted' }, 'Upload a dataset first.') : form,
  );
}

export async function pipelineView(root, { params, signal }) {
  const id = params[0];
  const updated = updatedLabel();
  const status = h('div', { class: 'view-status' });
  const body = h('div', { class: 'detail-body' });
  const stateSlot = h('span');
  const cancel = h('button', { type: 'button', class: 'btn danger', 'data-testid': 'pipeline-cancel', hidden: true }, 'Cancel pipeline');
  const title = h('span', { 'data-testid': 'pipeline-title' }, `Pipeline ${id}`);
  setChildren(
    root,
    h(
      'section',
      { 'data-testid': 'view-pipeline', 'data-pipeline-id': id },
      h('p', { class: 'crumbs' }, h('a', { href: '#/pipelines' }, '← Pipelines')),
      viewHeader(title, { sub: stateSlot, right: [updated.el, can('submit') ? cancel : null] }),
      status,
      body,
    ),
  );
  let pipeline = null;
  const refresh = async () => {
    try {
      pipeline = await api(path('/v1/pipelines', id), { signal });
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        setChildren(status, errorBox(new Error(`No pipeline with id ${id}.`)));
        return;
      }
      throw error;
    }
    const names = await loadNames();
    if (signal.aborted) return;
    setText(title, pipeline.name ?? `Pipeline ${id}`);
    setChildren(stateSlot, stateBadge(pipeline.state, 'pipeline-state'));
    cancel.hidden = ENDED.has(pipeline.state);
    setChildren(
      body,
      h(
        'div',
        { class: 'card' },
        h('h2', null, 'Steps'),
        h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { class: 'table', 'data-testid': 'pipeline-steps' },
            h(
              'thead',
              null,
              h(
                'tr',
                null,
                ['#', 'Kind', 'State', 'Job', 'Input', 'Error'].map((c) => h('th', null, c)),
              ),
            ),
            h(
              'tbody',
              null,
              pipeline.steps.map((step) => {
                const ref = inputOf({ payload: step.payload });
                return h(
                  'tr',
                  { 'data-testid': `pipeline-step-${step.index}`, 'data-state': step.state },
                  h('td', null, String(step.index + 1)),
                  h('td', null, kindTag(step.kind)),
                  h('td', null, stateBadge(step.state, 'step-state')),
                  h('td', null, step.jobId ? jobLink(step.jobId) : '—'),
                  h(
                    'td',
                    { class: 'input-cell' },
                    ref ? namedId(nameOf(names, ref), ref.id) : step.kind === 'ssm.score' ? 'the model of the step before' : '—',
                  ),
                  h('td', { class: 'input-cell' }, step.error ? `${step.error.code}: ${step.error.message}` : ''),
                );
              }),
            ),
          ),
        ),
      ),
      pipeline.error
        ? h('div', { class: 'card card-error', 'data-testid': 'pipeline-error' }, h('h2', null, 'Error'), `${pipeline.error.code}: ${pipeline.error.message}`)
        : null,
      h(
        'div',
        { class: 'card' },
        keyValues(
          [
            ['Created', timeCell(pipeline.createdAt)],
            ['Finished', timeCell(pipeline.finishedAt)],
          ],
          'pipeline-summary',
          { layout: 'grid' },
        ),
        h('details', { class: 'raw' }, h('summary', null, 'Raw JSON'), jsonBlock(pipeline)),
      ),
    );
    setChildren(status);
    updated.touch();
  };
  cancel.addEventListener('click', () =>
    runAction(cancel, async () => {
      await api(path('/v1/pipelines', id, 'cancel'), { method: 'POST' });
      flash(`Pipeline ${id}: cancel requested`);
      await refresh();
    }),
  );
  await poll(
    refresh,
    () => (pipeline !== null && ENDED.has(pipeline.state) ? 10_000 : 2000),
    signal,
    (error) => setChildren(status, errorBox(error)),
  );
}

function describeTarget(target) {
  if (target?.job) return `job ${target.job.kind}`;
  if (target?.pipeline) return `pipeline ${target.pipeline.name ?? ''} (${(target.pipeline.steps ?? []).map((s) => s.kind).join(' → ')})`;
  return '—';
}

export async function schedulesView(root, { signal }) {
  const updated = updatedLabel();
  const status = h('div', { class: 'view-status' });
  const tbody = h('tbody');
  const columns = ['Schedule', 'Repeat', 'Submits', 'State', 'Next firing', 'Latest firings', 'Created', ''];
  setChildren(
    root,
    h(
      'section',
      { 'data-testid': 'view-schedules' },
      viewHeader('Schedules', {
        sub: 'Jobs and pipelines submitted on a cron expression or every N ms (create them with the API or `kiln schedules`)',
        right: updated.el,
      }),
      status,
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'table', 'data-testid': 'schedules-table' },
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
    const items = await listAll('/v1/schedules', { signal, max: 200 });
    // The latest firings are in each schedule's own document.
    const detailed = await Promise.all(items.map((s) => (Array.isArray(s.firings) ? s : api(path('/v1/schedules', s.id), { signal }).catch(() => s))));
    if (signal.aborted) return;
    setChildren(status);
    setChildren(tbody, detailed.length === 0 ? emptyRow(columns.length, 'No schedules.', 'schedules-empty') : detailed.map((s) => scheduleRow(s, refresh)));
    updated.touch();
  };
  await poll(refresh, 5000, signal, (error) => setChildren(status, errorBox(error)));
}

function scheduleRow(s, refresh) {
  const act = (label, testid, run, cls = 'btn') => {
    const button = h('button', { type: 'button', class: cls, 'data-testid': testid }, label);
    button.addEventListener('click', () =>
      runAction(button, async () => {
        await run();
        await refresh();
      }),
    );
    return button;
  };
  const firings = (s.firings ?? []).slice(0, 3);
  return h(
    'tr',
    { 'data-testid': `schedule-row-${s.id}`, 'data-state': s.state },
    h('td', null, namedId(s.name, s.id)),
    h('td', { class: 'nowrap' }, s.cron ? `cron ${s.cron}${s.tz ? ` (${s.tz})` : ''}` : `every ${fmtMs(s.everyMs)}`),
    h('td', { class: 'input-cell' }, describeTarget(s.target)),
    h('td', null, stateBadge(s.state === 'active' ? 'active' : 'delayed', 'schedule-state'), s.state === 'paused' ? ' paused' : ''),
    h('td', { class: 'nowrap' }, s.nextAt ? fmtTime(s.nextAt) : '—'),
    h(
      'td',
      { class: 'input-cell', 'data-testid': 'schedule-firings' },
      firings.length === 0
        ? '—'
        : firings.map((f) =>
            h(
              'div',
              null,
              fmtTime(f.at),
              ' ',
              f.jobId ? jobLink(f.jobId) : f.pipelineId ? h('a', { href: `#/pipelines/${encodeURIComponent(f.pipelineId)}` }, 'pipeline') : '',
              f.error ? h('span', { class: 'warn-text' }, ` ${f.error.code}`) : '',
            ),
          ),
    ),
    h('td', { class: 'nowrap' }, timeCell(s.createdAt)),
    h(
      'td',
      { class: 'nowrap' },
      can('submit')
        ? [
            s.state === 'active'
              ? act('Pause', 'schedule-pause', () => api(path('/v1/schedules', s.id, 'pause'), { method: 'POST' }))
              : act('Resume', 'schedule-resume', () => api(path('/v1/schedules', s.id, 'resume'), { method: 'POST' })),
            ' ',
            act(
              'Delete',
              'schedule-delete',
              async () => {
                await api(path('/v1/schedules', s.id), { method: 'DELETE' });
                flash(`Schedule ${s.name} deleted`);
              },
              'btn danger',
            ),
          ]
        : null,
    ),
  );
}
