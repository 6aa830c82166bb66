// Jobs: filter by kind and state, page through with the API's cursor, open a job. Refreshes every 5 s.
import { api, describeError, path } from '../lib/api.js';
import { h, keyedList, setChildren, setText } from '../lib/dom.js';
import { elapsed, fmtInt, fmtMs } from '../lib/format.js';
import { inputOf, listAll, loadNames, nameOf } from '../lib/lists.js';
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
  namedId,
  poll,
  runAction,
  stateBadge,
  timeCell,
  updatedLabel,
  viewHeader,
} from '../lib/ui.js';

const REFRESH_MS = 5000;
const LIMITS = [20, 50, 100];
const COLUMNS = ['', 'Job', 'Kind', 'Input', 'State', 'Progress', 'Attempts', 'Created', 'Run time'];
const NUMERIC = new Set([6, 8]);

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
  // Bulk actions: the rows ticked on this page, or every job matching the filters (all pages).
  const selected = new Set();
  let shown = [];
  const selectAll = h('input', { type: 'checkbox', 'aria-label': 'Select every job on this page', 'data-testid': 'jobs-select-page' });
  const bulkInfo = h('span', { class: 'muted', 'data-testid': 'jobs-selected-count' }, 'none selected');
  const selectMatching = h('button', { type: 'button', class: 'btn', 'data-testid': 'jobs-select-matching' }, 'Select all matching');
  const bulkCancel = h('button', { type: 'button', class: 'btn danger', 'data-testid': 'jobs-bulk-cancel', disabled: true }, 'Cancel selected');
  const bulkRetry = h('button', { type: 'button', class: 'btn', 'data-testid': 'jobs-bulk-retry', disabled: true }, 'Retry selected');
  const bulkResult = h('span', { class: 'muted', role: 'status', 'data-testid': 'jobs-bulk-result' });
  const checkboxes = new Map();
  const showSelection = () => {
    setText(bulkInfo, selected.size === 0 ? 'none selected' : `${selected.size} selected`);
    bulkCancel.disabled = selected.size === 0;
    bulkRetry.disabled = selected.size === 0;
    for (const [id, box] of checkboxes) box.checked = selected.has(id);
    selectAll.checked = shown.length > 0 && shown.every((job) => selected.has(job.id));
  };
  const toggle = (id, on) => {
    if (on) selected.add(id);
    else selected.delete(id);
    showSelection();
  };
  selectAll.addEventListener('change', () => {
    for (const job of shown) toggle(job.id, selectAll.checked);
  });
  selectMatching.addEventListener('click', () =>
    runAction(selectMatching, async () => {
      const params = new URLSearchParams({ limit: '100' });
      if (kind) params.set('kind', kind);
      if (state) params.set('state', state);
      const all = await listAll(`/v1/jobs?${params}`, { signal, max: 5000 });
      for (const job of all) selected.add(job.id);
      showSelection();
    }),
  );
  const bulk = (button, action, eligible) =>
    runAction(button, async () => {
      const ids = [...selected];
      let done = 0;
      const failed = [];
      for (const id of ids) {
        try {
          await api(path('/v1/jobs', id, action), { method: 'POST' });
          done += 1;
        } catch (error) {
          failed.push(`${id}: ${describeError(error)}`);
        }
        setText(bulkResult, `${action}: ${done + failed.length} / ${ids.length}`);
      }
      selected.clear();
      showSelection();
      setText(
        bulkResult,
        `${action === 'cancel' ? 'Cancelled' : 'Retried'} ${done} of ${ids.length}${failed.length > 0 ? ` (${failed.length} refused: ${eligible})` : ''}`,
      );
      bulkResult.dataset.done = String(done);
      flash(`${action === 'cancel' ? 'Cancel' : 'Retry'}: ${done} of ${ids.length} jobs`, failed.length > 0 && done === 0 ? 'error' : 'ok');
      await refresh();
    });
  bulkCancel.addEventListener('click', () => bulk(bulkCancel, 'cancel', 'only waiting, delayed or active jobs can be cancelled'));
  bulkRetry.addEventListener('click', () => bulk(bulkRetry, 'retry', 'only failed or cancelled jobs can be retried'));
  const bulkBar = can('submit')
    ? h('div', { class: 'bulk-bar', 'data-testid': 'jobs-bulk' }, bulkInfo, selectMatching, bulkCancel, bulkRetry, bulkResult)
    : null;
  const table = h(
    'table',
    { class: 'table', 'data-testid': 'jobs-table' },
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        COLUMNS.map((c, i) => (i === 0 ? h('th', { class: 'check' }, selectAll) : h('th', { class: NUMERIC.has(i) ? 'num' : null }, c))),
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
      viewHeader('Jobs', {
        sub: 'Newest first',
        right: [updated.el, can('submit') ? h('a', { class: 'btn primary', href: '#/new', 'data-testid': 'new-job-link' }, 'New job') : null],
      }),
      filters,
      bulkBar,
      status,
      h('div', { class: 'table-wrap' }, table),
      h('div', { class: 'pager' }, newer, pageInfo, older),
    ),
  );

  const context = { names: null, orphaned: new Set(), checkboxes, toggle, selectable: can('submit') };
  const sync = keyedList(
    tbody,
    (job) => job.id,
    (job) => jobRow(job, context),
  );
  const refresh = async () => {
    const params = new URLSearchParams({ limit: String(limit) });
    if (kind) params.set('kind', kind);
    if (state) params.set('state', state);
    if (cursor) params.set('cursor', cursor);
    const data = await api(`/v1/jobs?${params}`, { signal });
    if (signal.aborted) return;
    const items = Array.isArray(data?.items) ? data.items : [];
    context.names = await loadNames();
    // Active jobs whose worker died (no lock) are flagged.
    if (items.some((job) => job.state === 'active')) {
      const workers = await api('/v1/workers', { signal }).catch(() => null);
      context.orphaned = new Set((workers?.active ?? []).filter((job) => job.orphaned).map((job) => job.id));
    } else context.orphaned = new Set();
    if (signal.aborted) return;
    shown = items;
    setChildren(status);
    if (items.length === 0) {
      sync([]);
      setChildren(tbody, emptyRow(COLUMNS.length, 'No jobs match these filters.', 'jobs-empty'));
    } else {
      tbody.querySelector('tr.empty')?.remove();
      sync(items);
    }
    // `next` (a URL with the cursor) or the older `nextCursor`.
    const nextUrl = typeof data?.next === 'string' && data.next !== '' ? new URL(data.next, location.origin).searchParams.get('cursor') : null;
    nextCursor = nextUrl ?? (typeof data?.nextCursor === 'string' && data.nextCursor !== '' ? data.nextCursor : null);
    showSelection();
    older.disabled = nextCursor === null;
    setText(pageInfo, `page ${pages.cursors.length + 1} · ${items.length} job${items.length === 1 ? '' : 's'}`);
    updated.touch();
  };
  await poll(refresh, REFRESH_MS, signal, (error) => setChildren(status, errorBox(error)));
}

function jobRow(job, context) {
  const stateCell = h('td', { class: 'nowrap' });
  const inputCell = h('td', { class: 'input-cell' });
  const progressCell = h('td', { class: 'progress-cell' });
  const attemptsCell = h('td', { class: 'num' });
  const runCell = h('td', { class: 'num nowrap' });
  const box = h('input', { type: 'checkbox', 'aria-label': `Select job ${job.id}`, 'data-testid': 'job-select' });
  box.addEventListener('change', () => context.toggle(job.id, box.checked));
  context.checkboxes.set(job.id, box);
  const el = h(
    'tr',
    { 'data-testid': `job-row-${job.id}`, 'data-job-id': job.id },
    h('td', { class: 'check' }, context.selectable ? box : null),
    h('td', null, jobLink(job.id)),
    h('td', null, kindTag(job.kind)),
    inputCell,
    stateCell,
    progressCell,
    attemptsCell,
    h('td', { class: 'nowrap' }, timeCell(job.createdAt)),
    runCell,
  );
  let lastKey = '';
  return {
    el,
    update(next) {
      const orphaned = next.state === 'active' && context.orphaned.has(next.id);
      const ref = inputOf(next);
      const name = nameOf(context.names, ref);
      const key = `${next.state}|${orphaned}|${name}`;
      if (key !== lastKey) {
        lastKey = key;
        setChildren(
          stateCell,
          stateBadge(next.state),
          orphaned
            ? h(
                'span',
                { class: 'badge state-failed', 'data-testid': 'job-orphaned', title: 'Active, but its lock is gone: the worker running it died.' },
                'worker lost',
              )
            : null,
        );
        setChildren(
          inputCell,
          ref === null
            ? '—'
            : h(
                'span',
                null,
                h('span', { class: 'muted' }, `${ref.type} `),
                namedId(name, ref.id, {
                  href: ref.type === 'model' ? `#/models/${encodeURIComponent(ref.id)}` : ref.type === 'dataset' ? '#/datasets' : undefined,
                  testid: 'job-input-name',
                }),
              ),
        );
      }
      setText(progressCell, progressSummary(next));
      setText(attemptsCell, fmtInt(next.attempts));
      setText(runCell, next.startedAt ? fmtMs(elapsed(next.startedAt, next.finishedAt)) : '—');
    },
  };
}
