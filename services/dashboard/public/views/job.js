// Job detail: state, timings, progress, payload, result or error; Cancel and Retry.
import { ApiError, api, path } from '../lib/api.js';
import { h, jsonBlock, keyValues, setChildren, setText } from '../lib/dom.js';
import { elapsed, fmtInt, fmtMs } from '../lib/format.js';
import { progressPanel } from '../lib/progress.js';
import { CANCELLABLE, RETRYABLE, TERMINAL, errorBox, flash, poll, runAction, stateBadge, timeCell, updatedLabel, viewHeader } from '../lib/ui.js';

export async function jobView(root, { params, signal }) {
  const id = params[0];
  const jobPath = path('/v1/jobs', id);
  const updated = updatedLabel();
  const stateSlot = h('span');
  const kindSlot = h('span', { class: 'kind' });
  const cancel = h('button', { type: 'button', class: 'btn danger', 'data-testid': 'job-cancel', hidden: true }, 'Cancel job');
  const retry = h('button', { type: 'button', class: 'btn primary', 'data-testid': 'job-retry', hidden: true }, 'Retry job');
  const status = h('div', { class: 'view-status' });
  const body = h('div', { class: 'detail-body' });

  setChildren(
    root,
    h(
      'section',
      { 'data-testid': 'view-job', 'data-job-id': id },
      h('p', { class: 'crumbs' }, h('a', { href: '#/jobs' }, '← Jobs')),
      viewHeader(h('span', null, 'Job ', h('span', { class: 'mono', 'data-testid': 'job-id' }, id)), {
        sub: h('span', { class: 'head-badges' }, kindSlot, stateSlot),
        right: [updated.el, h('span', { class: 'actions' }, cancel, retry)],
      }),
      status,
      body,
    ),
  );

  let job = null;
  let lastJson = '';
  const render = (next) => {
    job = next;
    setText(kindSlot, next.kind);
    if (stateSlot.firstElementChild?.dataset.state !== next.state) setChildren(stateSlot, stateBadge(next.state));
    cancel.hidden = !CANCELLABLE.has(next.state);
    retry.hidden = !RETRYABLE.has(next.state);
    const json = JSON.stringify(next);
    if (json === lastJson) return;
    lastJson = json;
    setChildren(body, jobBody(next));
  };

  const refresh = async () => {
    try {
      const next = await api(jobPath, { signal });
      if (signal.aborted) return;
      setChildren(status);
      render(next);
      updated.touch();
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        setChildren(status, errorBox(new Error(`No job with id ${id}.`)));
        return;
      }
      throw error;
    }
  };

  const act = (button, action, verb) =>
    runAction(button, async () => {
      const result = await api(path('/v1/jobs', id, action), { method: 'POST' });
      flash(`Job ${id} ${verb} (state: ${result?.state ?? 'unknown'})`);
      await refresh();
    });
  cancel.addEventListener('click', () => act(cancel, 'cancel', 'cancel requested'));
  retry.addEventListener('click', () => act(retry, 'retry', 'retried'));

  // Poll fast while the job can still change, slowly once it is finished.
  await poll(refresh, () => (job !== null && TERMINAL.has(job.state) ? 10_000 : 2000), signal, (error) =>
    setChildren(status, errorBox(error)),
  );
}

function jobBody(job) {
  const timing = keyValues(
    [
      ['Kind', h('span', { class: 'kind' }, job.kind)],
      ['State', job.state],
      ['Attempts', fmtInt(job.attempts)],
      ['Created', timeCell(job.createdAt)],
      ['Started', timeCell(job.startedAt)],
      ['Finished', timeCell(job.finishedAt)],
      ['Queued for', fmtMs(elapsed(job.createdAt, job.startedAt))],
      ['Run time', job.startedAt ? fmtMs(elapsed(job.startedAt, job.finishedAt)) : '—'],
    ],
    'job-summary',
  );
  const sections = [h('div', { class: 'card' }, h('h2', null, 'Summary'), timing)];

  if (job.error) {
    sections.push(
      h(
        'div',
        { class: 'card card-error', 'data-testid': 'job-error' },
        h('h2', null, 'Error'),
        h('p', null, h('code', { class: 'error-code' }, job.error.code ?? 'unknown'), ' ', job.error.message ?? ''),
        job.error.details === undefined ? null : jsonBlock(job.error.details),
      ),
    );
  }
  sections.push(h('div', { class: 'card', 'data-testid': 'job-progress' }, h('h2', null, 'Progress'), progressPanel(job.kind, job.progress)));
  if (job.result !== null && job.result !== undefined) {
    sections.push(h('div', { class: 'card', 'data-testid': 'job-result' }, h('h2', null, 'Result'), resultLinks(job), jsonBlock(job.result, 'job-result-json')));
  }
  sections.push(h('div', { class: 'card' }, h('h2', null, 'Payload'), jsonBlock(job.payload, 'job-payload')));
  return sections;
}

/** Links from a finished job to what it produced. */
function resultLinks(job) {
  const links = [];
  if (job.kind === 'qubo.solve' && job.state === 'completed') {
    links.push(h('a', { href: `#/qubo/${encodeURIComponent(job.id)}`, 'data-testid': 'job-solution-link' }, 'View solution and energy trace →'));
  }
  const modelId = job.result?.modelId ?? job.result?.model?.id;
  if (typeof modelId === 'string' || typeof modelId === 'number') {
    links.push(h('a', { href: `#/models/${encodeURIComponent(String(modelId))}`, 'data-testid': 'job-model-link' }, 'View model →'));
  }
  return links.length > 0 ? h('p', { class: 'links' }, links) : null;
}
