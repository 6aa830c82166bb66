// Queues: counts per state for each BullMQ queue, paused badge, pause/resume (admin keys only). Refreshes every 2 s.
import { api, path } from '../lib/api.js';
import { h, keyedList, setChildren, setText } from '../lib/dom.js';
import { fmtInt } from '../lib/format.js';
import { can } from '../lib/session.js';
import { JOB_STATES, KIND_INFO, errorBox, flash, poll, runAction, updatedLabel, viewHeader } from '../lib/ui.js';

const COUNT_COLUMNS = ['waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed', 'paused'];
const REFRESH_MS = 2000;

export async function queuesView(root, { signal }) {
  const updated = updatedLabel();
  const status = h('div', { class: 'view-status' });
  const tbody = h('tbody');
  const table = h(
    'table',
    { class: 'table', 'data-testid': 'queues-table' },
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        h('th', null, 'Queue'),
        h('th', null, 'Status'),
        COUNT_COLUMNS.map((column) => h('th', { class: 'num' }, column)),
        h('th', { class: 'col-actions' }, h('span', { class: 'sr-only' }, 'Actions')),
      ),
    ),
    tbody,
  );
  setChildren(
    root,
    h(
      'section',
      { 'data-testid': 'view-queues' },
      viewHeader('Queues', { sub: 'BullMQ queues and their job counts', right: updated.el }),
      status,
      h('div', { class: 'table-wrap' }, table),
    ),
  );

  let refresh = async () => {};
  const sync = keyedList(
    tbody,
    (queue) => queue.name,
    (queue) => queueRow(queue, () => refresh()),
  );

  // A refresh that started before a newer one (e.g. one an action triggered) is dropped on arrival,
  // so a slow poll can never undo what a Pause/Resume click just showed.
  let latest = 0;
  refresh = async () => {
    const ticket = ++latest;
    const data = await api('/v1/queues', { signal });
    if (signal.aborted || ticket !== latest) return;
    const items = Array.isArray(data?.items) ? data.items : [];
    sync(items);
    setChildren(status);
    if (items.length === 0) setChildren(status, h('p', { class: 'muted' }, 'No queues reported by the API.'));
    updated.touch();
  };
  await poll(refresh, REFRESH_MS, signal, (error) => setChildren(status, errorBox(error)));
}

function queueRow(initial, refresh) {
  const name = initial.name;
  const statusBadge = h('span', { class: 'badge', 'data-testid': 'queue-status' });
  const toggle = h('button', { type: 'button', class: 'btn', 'data-testid': 'queue-toggle' });
  const cells = Object.fromEntries(COUNT_COLUMNS.map((column) => [column, h('td', { class: 'num', 'data-testid': `queue-count-${column}` })]));
  const kindCell = h('span', { class: 'kind' });
  const el = h(
    'tr',
    { 'data-testid': `queue-row-${name}`, 'data-queue': name },
    h('th', { scope: 'row' }, h('div', { class: 'queue-name' }, name), kindCell),
    h('td', null, statusBadge),
    COUNT_COLUMNS.map((column) => cells[column]),
    // Pausing a queue needs an admin key; the API refuses it to others, so others do not see the button.
    h('td', { class: 'col-actions' }, can('admin') ? toggle : null),
  );

  let paused = Boolean(initial.paused);
  const applyPaused = (value) => {
    paused = value;
    el.dataset.paused = String(value);
    statusBadge.className = `badge ${value ? 'queue-paused' : 'queue-running'}`;
    setText(statusBadge, value ? 'paused' : 'running');
    setText(toggle, value ? 'Resume' : 'Pause');
    toggle.dataset.action = value ? 'resume' : 'pause';
    toggle.setAttribute('aria-label', `${value ? 'Resume' : 'Pause'} queue ${name}`);
  };

  toggle.addEventListener('click', () =>
    runAction(toggle, async () => {
      const action = paused ? 'resume' : 'pause';
      const result = await api(path('/v1/queues', name, action), { method: 'POST' });
      applyPaused(Boolean(result?.paused));
      flash(`Queue ${name} ${result?.paused ? 'paused' : 'resumed'}`);
      await refresh();
    }),
  );

  return {
    el,
    update(queue) {
      setText(kindCell, queue.kind ?? '');
      const description = KIND_INFO.get(queue.kind)?.description;
      if (description) kindCell.title = description;
      applyPaused(Boolean(queue.paused));
      for (const column of COUNT_COLUMNS) {
        const count = queue.counts?.[column];
        const cell = cells[column];
        const text = fmtInt(count);
        // Counts of real job states link to the filtered job list.
        const linkable = JOB_STATES.includes(column) && typeof queue.kind === 'string' && count > 0;
        const current = cell.firstElementChild;
        if (linkable) {
          const href = `#/jobs?kind=${encodeURIComponent(queue.kind)}&state=${encodeURIComponent(column)}`;
          if (current?.tagName === 'A' && current.getAttribute('href') === href) setText(current, text);
          else setChildren(cell, h('a', { href }, text));
        } else {
          setChildren(cell, text);
        }
        cell.classList.toggle('zero', count === 0);
        cell.classList.toggle('alert', column === 'failed' && count > 0);
      }
    },
  };
}
