// Job detail: state, timings, progress, payload, result or error; Cancel and Retry (keys that may submit).
import { ApiError, api, path } from '../lib/api.js';
import { h, jsonBlock, keyValues, setChildren, setText } from '../lib/dom.js';
import { elapsed, fmtInt, fmtMs, isNum } from '../lib/format.js';
import { progressPanel } from '../lib/progress.js';
import { can } from '../lib/session.js';
import { CANCELLABLE, RETRYABLE, TERMINAL, errorBox, flash, kindTag, poll, runAction, stateBadge, timeCell, updatedLabel, viewHeader } from '../lib/ui.js';

export async function jobView(root, { params, signal }) {
  const id = params[0];
  const jobPath = path('/v1/jobs', id);
  const updated = updatedLabel();
  const stateSlot = h('span');
  const kindSlot = h('span', { class: 'kind' });
  const cancelNote = h('span', { class: 'badge state-delayed', 'data-testid': 'job-cancel-requested', hidden: true }, 'cancel requested');
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
        sub: h('span', { class: 'head-badges' }, kindSlot, stateSlot, cancelNote),
        // A viewer (read-only key) gets no actions at all.
        right: [updated.el, can('submit') ? h('span', { class: 'action-bar' }, cancel, retry) : null],
      }),
      status,
      body,
    ),
  );

  // ssm.train reports one epoch at a time: keep the ones seen while this page polls, and once the
  // model exists show its full history instead.
  const seenEpochs = new Map();
  let model = null;
  let job = null;
  let lastRendered = '';

  const render = () => {
    setText(kindSlot, job.kind);
    if (stateSlot.firstElementChild?.dataset.state !== job.state) setChildren(stateSlot, stateBadge(job.state));
    const cancelPending = job.cancelRequested === true && !TERMINAL.has(job.state);
    cancelNote.hidden = !cancelPending;
    cancel.hidden = !CANCELLABLE.has(job.state) || cancelPending;
    retry.hidden = !RETRYABLE.has(job.state);
    const key = JSON.stringify([job, seenEpochs.size, model?.id ?? null]);
    if (key === lastRendered) return;
    lastRendered = key;
    const epochs = Array.isArray(model?.epochs) ? model.epochs : [...seenEpochs.values()].sort((a, b) => a.epoch - b.epoch);
    const epochsNote = model ? 'Full history of the trained model.' : 'Epochs reported while this page was open.';
    setChildren(body, jobBody(job, { epochs, epochsNote, bestEpoch: model?.bestEpoch ?? job.result?.bestEpoch }));
  };

  const refresh = async () => {
    let next;
    try {
      next = await api(jobPath, { signal });
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        setChildren(status, errorBox(new Error(`No job with id ${id}.`)));
        return;
      }
      throw error;
    }
    if (signal.aborted) return;
    job = next;
    const progress = next.progress;
    if (next.kind === 'ssm.train' && isNum(progress?.epoch) && progress.valid && typeof progress.valid === 'object') {
      seenEpochs.set(progress.epoch, { epoch: progress.epoch, loss: progress.loss, valid: progress.valid, seconds: progress.seconds });
    }
    const modelId = next.result?.modelId;
    if (next.kind === 'ssm.train' && typeof modelId === 'string' && model?.id !== modelId) {
      model = await api(path('/v1/models', modelId), { signal }).catch(() => null);
      if (signal.aborted) return;
    }
    setChildren(status);
    render();
    updated.touch();
  };

  const act = (button, action, verb) =>
    runAction(button, async () => {
      const result = await api(path('/v1/jobs', id, action), { method: 'POST' });
      flash(`Job ${id}: ${verb} (state: ${result?.state ?? 'unknown'})`);
      await refresh();
    });
  cancel.addEventListener('click', () => act(cancel, 'cancel', 'cancel requested'));
  retry.addEventListener('click', () => act(retry, 'retry', 'retried'));

  // Poll fast while the job can still change, slowly once it is finished.
  await poll(
    refresh,
    () => (job !== null && TERMINAL.has(job.state) ? 10_000 : 2000),
    signal,
    (error) => setChildren(status, errorBox(error)),
  );
}

function jobBody(job, epochInfo) {
  const summary = keyValues(
    [
      ['Kind', kindTag(job.kind)],
      ['State', job.state],
      ['Attempts', fmtInt(job.attempts)],
      ['Created', timeCell(job.createdAt)],
      ['Started', timeCell(job.startedAt)],
      ['Finished', timeCell(job.finishedAt)],
      ['Queued for', fmtMs(elapsed(job.createdAt, job.startedAt))],
      ['Run time', job.startedAt ? fmtMs(elapsed(job.startedAt, job.finishedAt)) : '—'],
    ],
    'job-summary',
    { layout: 'grid' },
  );
  const sections = [h('div', { class: 'card' }, h('h2', null, 'Summary'), summary)];

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
  sections.push(h('div', { class: 'card', 'data-testid': 'job-progress' }, h('h2', null, 'Progress'), progressPanel(job, epochInfo)));
  if (job.result !== null && job.result !== undefined) {
    sections.push(
      h('div', { class: 'card', 'data-testid': 'job-result' }, h('h2', null, 'Result'), resultLinks(job), jsonBlock(job.result, 'job-result-json')),
    );
  }
  sections.push(h('div', { class: 'card' }, h('h2', null, 'Payload'), jsonBlock(job.payload, 'job-payload')));
  if (job.options && Object.keys(job.options).length > 0) {
    sections.push(h('div', { class: 'card' }, h('h2', null, 'Options'), jsonBlock(job.options, 'job-options')));
  }
  return sections;
}

/** Links from a finished job to what it produced. */
function resultLinks(job) {
  const links = [];
  if (job.kind === 'qubo.solve' && job.state === 'completed') {
    links.push(h('a', { href: `#/qubo/${encodeURIComponent(job.id)}`, 'data-testid': 'job-solution-link' }, 'Solution and energy trace →'));
  }
  const modelId = job.result?.modelId;
  if (typeof modelId === 'string') {
    links.push(h('a', { href: `#/models/${encodeURIComponent(modelId)}`, 'data-testid': 'job-model-link' }, 'Trained model →'));
  }
  return links.length > 0 ? h('p', { class: 'links' }, links) : null;
}
