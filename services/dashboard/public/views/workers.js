// Workers: the worker connections BullMQ sees in Redis (CLIENT LIST), the jobs running now with their
// lock (renewed by a live worker), and active jobs whose lock is gone (their worker died). Every 3 s.
import { api } from '../lib/api.js';
import { h, setChildren } from '../lib/dom.js';
import { fmtAgo, fmtInt, fmtMs, fmtTime, shortId } from '../lib/format.js';
import { emptyRow, errorBox, jobLink, kindTag, poll, updatedLabel, viewHeader } from '../lib/ui.js';

export async function workersView(root, { signal }) {
  const updated = updatedLabel();
  const status = h('div', { class: 'view-status' });
  const queues = h('tbody');
  const workers = h('tbody');
  const running = h('tbody');
  const table = (testid, columns, tbody, numeric = []) =>
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'table', 'data-testid': testid },
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            columns.map((c, i) => h('th', { class: numeric.includes(i) ? 'num' : null }, c)),
          ),
        ),
        tbody,
      ),
    );
  setChildren(
    root,
    h(
      'section',
      { 'data-testid': 'view-workers' },
      viewHeader('Workers', { sub: 'Connected to Redis now, what they run, and jobs whose worker died', right: updated.el }),
      status,
      h('h2', null, 'Queues'),
      table('workers-queues', ['Queue', 'Workers', 'Running', 'Orphaned'], queues, [1, 2, 3]),
      h('h2', null, 'Running jobs'),
      table('workers-active', ['Job', 'Kind', 'Worker', 'Started', 'Lock', 'Health'], running),
      h('h2', null, 'Worker connections'),
      table('workers-table', ['Queue', 'Connection', 'Address', 'Connected for', 'Last command'], workers),
    ),
  );

  const refresh = async () => {
    const data = await api('/v1/workers', { signal });
    if (signal.aborted) return;
    setChildren(status);
    setChildren(
      queues,
      (data.queues ?? []).map((q) =>
        h(
          'tr',
          { 'data-testid': `workers-queue-${q.name}`, 'data-workers': q.workers },
          h('td', null, h('a', { href: `#/jobs?kind=${encodeURIComponent(q.kind)}&state=active` }, q.name)),
          h('td', { class: 'num' }, fmtInt(q.workers)),
          h('td', { class: 'num' }, fmtInt(q.active)),
          h('td', { class: ['num', q.orphaned > 0 ? 'warn-text' : ''] }, fmtInt(q.orphaned)),
        ),
      ),
    );
    const active = data.active ?? [];
    setChildren(
      running,
      active.length === 0
        ? emptyRow(6, 'Nothing running.', 'workers-active-empty')
        : active.map((job) =>
            h(
              'tr',
              { 'data-testid': `worker-job-${job.id}`, 'data-orphaned': String(job.orphaned) },
              h('td', null, jobLink(job.id)),
              h('td', null, kindTag(job.kind)),
              h('td', { class: 'mono', title: job.worker ?? '' }, job.worker ? shortId(job.worker) : '—'),
              h('td', { class: 'nowrap' }, job.startedAt ? `${fmtTime(job.startedAt)} (${fmtAgo(job.startedAt)})` : '—'),
              h('td', null, job.lockExpiresInMs === null ? 'none' : `expires in ${fmtMs(job.lockExpiresInMs)} unless renewed`),
              h(
                'td',
                null,
                job.orphaned
                  ? h(
                      'span',
                      {
                        class: 'badge state-failed',
                        'data-testid': 'orphaned-badge',
                        title: 'Active, but no worker holds its lock: its worker died. BullMQ’s stalled-job check will put it back in its queue.',
                      },
                      'orphaned',
                    )
                  : h('span', { class: 'badge state-completed' }, 'lock held'),
              ),
            ),
          ),
    );
    const items = data.items ?? [];
    setChildren(
      workers,
      items.length === 0
        ? emptyRow(5, 'No worker is connected.', 'workers-empty')
        : items.map((w) =>
            h(
              'tr',
              { 'data-testid': `worker-row-${w.queue}`, 'data-client-id': w.clientId },
              h('td', null, w.queue),
              h('td', { class: 'mono' }, `#${w.clientId}`),
              h('td', { class: 'mono' }, w.addr),
              h('td', null, fmtMs(w.connectedSeconds * 1000)),
              h('td', { class: 'nowrap', title: w.lastSeenAt }, w.idleSeconds === 0 ? 'now' : `${fmtMs(w.idleSeconds * 1000)} ago`),
            ),
          ),
    );
    updated.touch();
  };
  await poll(refresh, 3000, signal, (error) => setChildren(status, errorBox(error)));
}
