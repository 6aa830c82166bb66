// Jobs: filter by kind and state, page through with the API's cursor, open a job. Refreshes every 5 s.
import { api } from '../lib/api.js';
import { h, keyedList, setChildren, setText } from '../lib/dom.js';
import { elapsed, fmtInt, fmtMs } from '../lib/format.js';
import { progressSummary } from '../lib/progress.js';
import { can } from '../lib/session.js';
import {
  JOB_KINDS,
  JOB_STATES,
  emptyRow,
  errorBox,
  flash,
  jobLink,
  kindTag,
  poll,
  runAction,
  stateBadge,
  timeCell,
  updatedLabel,
  viewHeader,
} from '../lib/ui.js';

const REFRESH_MS = 5000;
const LIMITS = [20, 50, 100];
const COLUMNS = ['Job', 'Kind', 'State', 'Progress', 'Attempts', 'Created', 'Run time'];

const EXAMPLE_QUBO = {
  problem: {
    n: 3,
    terms: [
      [0, 1, 1],
      [1, 2, 1],
      [0, 0, -1],
    ],
    offset: 0,
  },
  params: { seed: 1, sweeps: 200, timeLimitMs: 1000 },
};

// Cursors of the pages before the current one, so "Newer" can go back. Reset when filters change.
const pages = { filterKey: '', cursors: [] };

export function jobsHash({ kind, state, limit, cursor }) {
  const query = new URLSearchParams();
  if (kind) query.set('kind', kind);
  if (state) query.set('state', state);
  if (limit && limit !== LIMITS[0]) query.set('limit', String(limit));
  if (cursor) query.set('cursor', cursor);
  const text = query.toString();
  return `#/jobs${text ? `?${text}` : ''}`;
}

export async function jobsView(root, { query, signal }) {
  const kind = JOB_KINDS.includes(query.get('kind')) ? query.get('kind') : '';
  const state = JOB_STATES.includes(query.get('state')) ? query.get('state') : '';
  const limit = LIMITS.includes(Number(query.get('limit'))) ? Number(query.get('limit')) : LIMITS[0];
  const cursor = query.get('cursor') ?? '';
  const filterKey = `${kind}|${state}|${limit}`;
  if (pages.filterKey !== filterKey || cursor === '') {
    pages.filterKey = filterKey;
    pages.cursors = [];
  }

  const go = (changes) => {
    location.hash = jobsHash({ kind, state, limit, ...changes });
  };
  const select = (testid, label, value, options, onChange) =>
    h(
      'label',
      { class: 'field' },
      h('span', null, label),
      h(
        'select',
        { 'data-testid': testid, onchange: (event) => onChange(event.target.value) },
        options.map(([optionValue, text]) => h('option', { value: optionValue, selected: optionValue === value }, text)),
      ),
    );

  const filters = h(
    'form',
    { class: 'filters', 'data-testid': 'jobs-filters', onsubmit: (event) => event.preventDefault() },
    select('jobs-filter-kind', 'Kind', kind, [['', 'all kinds'], ...JOB_KINDS.map((k) => [k, k])], (v) => go({ kind: v, cursor: '' })),
    select('jobs-filter-state', 'State', state, [['', 'all states'], ...JOB_STATES.map((s) => [s, s])], (v) => go({ state: v, cursor: '' })),
    select(
      'jobs-filter-limit',
      'Per page',
      String(limit),
      LIMITS.map((l) => [String(l), String(l)]),
      (v) => go({ limit: Number(v), cursor: '' }),
    ),
  );

  const updated = updatedLabel();
  const status = h('div', { class: 'view-status' });
  const tbody = h('tbody');
  const table = h(
    'table',
    { class: 'table', 'data-testid': 'jobs-table' },
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        COLUMNS.map((c, i) => h('th', { class: i >= 4 && i !== 5 ? 'num' : null }, c)),
      ),
    ),
    tbody,
  );
  const newer = h('button', { type: 'button', class: 'btn', 'data-testid': 'jobs-prev' }, '← Newer');
  const older = h('button', { type: 'button', class: 'btn', 'data-testid': 'jobs-next' }, 'Older →');
  const pageInfo = h('span', { class: 'muted' });
  let nextCursor = null;
  newer.disabled = cursor === '';
  older.disabled = true;
  newer.addEventListener('click', () => go({ cursor: pages.cursors.pop() ?? '' }));
  older.addEventListener('click', () => {
    if (nextCursor === null) return;
    pages.cursors.push(cursor);
    go({ cursor: nextCursor });
  });

  setChildren(
    root,
    h(
      'section',
      { 'data-testid': 'view-jobs' },
      viewHeader('Jobs', { sub: 'Newest first', right: updated.el }),
      filters,
      status,
      h('div', { class: 'table-wrap' }, table),
      h('div', { class: 'pager' }, newer, pageInfo, older),
      can('submit') ? submitPanel() : null,
    ),
  );

  const sync = keyedList(tbody, (job) => job.id, jobRow);
  const refresh = async () => {
    const params = new URLSearchParams({ limit: String(limit) });
    if (kind) params.set('kind', kind);
    if (state) params.set('state', state);
    if (cursor) params.set('cursor', cursor);
    const data = await api(`/v1/jobs?${params}`, { signal });
    if (signal.aborted) return;
    const items = Array.isArray(data?.items) ? data.items : [];
    setChildren(status);
    if (items.length === 0) {
      sync([]);
      setChildren(tbody, emptyRow(COLUMNS.length, 'No jobs match these filters.', 'jobs-empty'));
    } else {
      tbody.querySelector('tr.empty')?.remove();
      sync(items);
    }
    nextCursor = typeof data?.nextCursor === 'string' && data.nextCursor !== '' ? data.nextCursor : null;
    older.disabled = nextCursor === null;
    setText(pageInfo, `page ${pages.cursors.length + 1} · ${items.length} job${items.length === 1 ? '' : 's'}`);
    updated.touch();
  };
  await poll(refresh, REFRESH_MS, signal, (error) => setChildren(status, errorBox(error)));
}

function jobRow(job) {
  const stateCell = h('td');
  const progressCell = h('td', { class: 'progress-cell' });
  const attemptsCell = h('td', { class: 'num' });
  const runCell = h('td', { class: 'num' });
  const el = h(
    'tr',
    { 'data-testid': `job-row-${job.id}`, 'data-job-id': job.id },
    h('td', null, jobLink(job.id)),
    h('td', null, kindTag(job.kind)),
    stateCell,
    progressCell,
    attemptsCell,
    h('td', null, timeCell(job.createdAt)),
    runCell,
  );
  return {
    el,
    update(next) {
      if (stateCell.firstElementChild?.dataset.state !== next.state) setChildren(stateCell, stateBadge(next.state));
      setText(progressCell, progressSummary(next));
      setText(attemptsCell, fmtInt(next.attempts));
      setText(runCell, next.startedAt ? fmtMs(elapsed(next.startedAt, next.finishedAt)) : '—');
    },
  };
}

/** "New QUBO job": paste a qubo.solve payload, submit, land on the new job. */
function submitPanel() {
  const textarea = h('textarea', {
    rows: 10,
    spellcheck: 'false',
    class: 'mono',
    'data-testid': 'qubo-submit-payload',
    'aria-label': 'qubo.solve payload JSON',
  });
  textarea.value = JSON.stringify(EXAMPLE_QUBO, null, 2);
  const message = h('p', { class: 'form-error', role: 'alert' });
  const button = h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'qubo-submit-button' }, 'Submit qubo.solve job');
  const form = h(
    'form',
    { class: 'submit-form' },
    h('p', { class: 'muted' }, 'Payload of a qubo.solve job: the problem (n, [i, j, weight] terms, offset) and annealing params.'),
    textarea,
    message,
    button,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    setText(message, '');
    let payload;
    try {
      payload = JSON.parse(textarea.value);
    } catch (error) {
      setText(message, `Not valid JSON: ${error.message}`);
      return;
    }
    const created = await runAction(button, () => api('/v1/jobs', { method: 'POST', body: { kind: 'qubo.solve', payload } }));
    if (created?.id) {
      flash(`Submitted job ${created.id}`);
      location.hash = `#/jobs/${encodeURIComponent(created.id)}`;
    }
  });
  return h('details', { class: 'panel', 'data-testid': 'qubo-submit' }, h('summary', null, 'New QUBO job'), form);
}
