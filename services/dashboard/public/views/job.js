// Job detail: state, timings, progress, payload, result or error; Cancel and Retry (keys that may submit).
import { ApiError, api, path } from '../lib/api.js';
import { h, jsonBlock, keyValues, setChildren, setText } from '../lib/dom.js';
import { elapsed, fmtEnergy, fmtInt, fmtMetric, fmtMs, fmtSeconds, isNum } from '../lib/format.js';
import { inputOf, loadNames, nameOf } from '../lib/lists.js';
import { linePlot } from '../lib/plot.js';
import { epochTable, headlineKeys, metricKeys, metricLabel, progressPanel } from '../lib/progress.js';
import { can } from '../lib/session.js';
import {
  CANCELLABLE,
  RETRYABLE,
  TERMINAL,
  errorBox,
  flash,
  kindTag,
  namedId,
  poll,
  runAction,
  stateBadge,
  timeCell,
  updatedLabel,
  viewHeader,
} from '../lib/ui.js';

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
  let names = null;
  let epochRows = [];
  let epochsFinal = false;
  let orphaned = false;
  let lastRendered = '';

  const render = () => {
    setText(kindSlot, job.kind);
    if (stateSlot.firstElementChild?.dataset.state !== job.state) setChildren(stateSlot, stateBadge(job.state));
    const cancelPending = job.cancelRequested === true && !TERMINAL.has(job.state);
    cancelNote.hidden = !cancelPending;
    cancel.hidden = !CANCELLABLE.has(job.state) || cancelPending;
    retry.hidden = !RETRYABLE.has(job.state);
    const key = JSON.stringify([job, seenEpochs.size, epochRows.length, model?.id ?? null, nameOf(names, inputOf(job)), orphaned]);
    if (key === lastRendered) return;
    lastRendered = key;
    // The recorded epochs (GET /v1/jobs/:id/epochs, the whole run so far), else those seen while polling.
    const epochs = epochRows.length > 0 ? epochRows : Array.isArray(model?.epochs) ? model.epochs : [...seenEpochs.values()].sort((a, b) => a.epoch - b.epoch);
    const epochsNote = epochRows.length > 0 || model ? 'Every epoch of this run so far.' : 'Epochs reported while this page was open.';
    const open = body.querySelector('details.raw-result')?.open === true;
    setChildren(
      body,
      orphanWarning(orphaned),
      jobBody(job, { epochs, epochsNote, bestEpoch: model?.bestEpoch ?? job.result?.bestEpoch ?? job.progress?.bestEpoch, names }),
    );
    if (open) body.querySelector('details.raw-result')?.setAttribute('open', '');
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
    names = await loadNames();
    // A dataset, model or problem newer than the cached names: read them again.
    if (inputOf(next) !== null && nameOf(names, inputOf(next)) === null) names = await loadNames({ fresh: true });
    // An active job whose lock is gone: its worker died (GET /v1/workers).
    orphaned =
      next.state === 'active' &&
      ((await api('/v1/workers', { signal }).catch(() => null))?.active ?? []).some((entry) => entry.id === id && entry.orphaned === true);
    if (next.kind === 'ssm.train' && !epochsFinal) {
      // Live curves: every recorded epoch of the run (the worker writes one row per epoch); read
      // once more after the job ends, then no more.
      const recorded = await api(path('/v1/jobs', id, 'epochs'), { signal }).catch(() => null);
      if (Array.isArray(recorded?.items)) epochRows = recorded.items;
      epochsFinal = TERMINAL.has(next.state);
    }
    if (signal.aborted) return;
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

  // Server-Sent Events (GET /v1/jobs/:id/events), where the API serves them: each progress, state
  // or result event refreshes the page at once. Polling stays on underneath, so the page works the
  // same without them (an API that answers 404 there closes the source for good).
  if (typeof EventSource === 'function') {
    const source = new EventSource(`/api${path('/v1/jobs', id, 'events')}`);
    let pending = false;
    const kick = () => {
      if (pending || signal.aborted) return;
      pending = true;
      setTimeout(() => {
        pending = false;
        if (!signal.aborted) refresh().catch(() => undefined);
      }, 150);
    };
    for (const type of ['progress', 'state', 'result']) source.addEventListener(type, kick);
    signal.addEventListener('abort', () => source.close(), { once: true });
  }

  // Poll fast while the job can still change, slowly once it is finished.
  await poll(
    refresh,
    () => (job !== null && TERMINAL.has(job.state) ? 10_000 : 2000),
    signal,
    (error) => setChildren(status, errorBox(error)),
  );
}

function jobBody(job, epochInfo) {
  const ref = inputOf(job);
  const inputName = nameOf(epochInfo.names, ref);
  const summary = keyValues(
    [
      ['Kind', kindTag(job.kind)],
      ref === null
        ? null
        : [
            ref.type === 'dataset' ? 'Dataset' : ref.type === 'model' ? 'Model' : 'Problem',
            namedId(inputName, ref.id, { href: ref.type === 'model' ? `#/models/${encodeURIComponent(ref.id)}` : undefined, testid: 'job-input-name' }),
          ],
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
  if (job.result !== null && job.result !== undefined) {
    sections.push(
      h(
        'div',
        { class: 'card', 'data-testid': 'job-result' },
        h('h2', null, 'Result'),
        resultSummary(job),
        resultLinks(job),
        h(
          'details',
          { class: 'raw raw-result', 'data-testid': 'job-result-raw' },
          h('summary', null, 'Raw result JSON'),
          jsonBlock(job.result, 'job-result-json'),
        ),
      ),
    );
  }
  if (job.kind === 'ssm.train') sections.push(curves(job, epochInfo));
  sections.push(h('div', { class: 'card', 'data-testid': 'job-progress' }, h('h2', null, 'Progress'), progressPanel(job, { ...epochInfo, epochs: [] })));
  if (job.kind === 'ssm.train' && epochInfo.epochs.length > 0) {
    sections.push(
      h(
        'div',
        { class: 'card' },
        h('h2', null, 'Epochs'),
        h('p', { class: 'muted' }, epochInfo.epochsNote),
        epochTable(epochInfo.epochs, { bestEpoch: epochInfo.bestEpoch, testid: 'progress-epochs' }),
      ),
    );
  }
  sections.push(h('details', { class: 'card raw' }, h('summary', null, h('h2', { class: 'inline' }, 'Payload')), jsonBlock(job.payload, 'job-payload')));
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

/** Loss and validation curves of a training run, drawn from the epochs recorded so far (live while it runs). */
function curves(job, { epochs, bestEpoch }) {
  const keys = metricKeys(...epochs.map((e) => e.valid));
  const ndcg = keys.find((key) => key.toLowerCase() === 'ndcg@10') ?? keys.find((key) => key.toLowerCase().startsWith('ndcg'));
  const running = !TERMINAL.has(job.state);
  return h(
    'div',
    { class: 'card', 'data-testid': 'job-curves', 'data-epochs': epochs.length },
    h('h2', null, running ? 'Training curves (live)' : 'Training curves'),
    epochs.length === 0
      ? h('p', { class: 'muted', 'data-testid': 'job-curves-empty' }, running ? 'Waiting for the first epoch…' : 'No epochs recorded.')
      : h(
          'div',
          { class: 'plots' },
          linePlot({
            points: epochs.map((e) => [e.epoch, e.loss]),
            xLabel: 'epoch',
            yLabel: 'loss',
            title: 'Training loss',
            formatX: fmtInt,
            integerX: true,
            highlight: bestEpoch,
            testid: 'job-loss-plot',
          }),
          ndcg
            ? linePlot({
                points: epochs.map((e) => [e.epoch, e.valid?.[ndcg]]),
                xLabel: 'epoch',
                yLabel: `valid ${metricLabel(ndcg)}`,
                title: `Validation ${metricLabel(ndcg)}`,
                formatX: fmtInt,
                integerX: true,
                formatY: fmtMetric,
                highlight: bestEpoch,
                testid: 'job-valid-plot',
              })
            : null,
        ),
  );
}

/** A finished job's result, formatted: metrics table (training), cut/energy/time to best (QUBO), users/k (scoring). */
function resultSummary(job) {
  const r = job.result;
  if (r === null || typeof r !== 'object') return null;
  if (job.kind === 'ssm.train') {
    const splits = ['valid', 'test', 'testMasked'].filter((split) => r[split] && typeof r[split] === 'object');
    const keys = headlineKeys(metricKeys(...splits.map((split) => r[split])));
    const allKeys = metricKeys(...splits.map((split) => r[split]));
    const shownKeys = allKeys.length <= 9 ? allKeys : keys;
    return [
      keyValues(
        [
          ['Best epoch', fmtInt(r.bestEpoch)],
          ['Epochs run', fmtInt(r.epochs)],
          ['Parameters', fmtInt(r.parameters)],
          ['Backend', r.backend ?? '—'],
          ['Training time', fmtSeconds(r.seconds)],
          ['Model version', isNum(r.modelVersion) ? `v${r.modelVersion}` : '—'],
        ],
        'result-summary',
        { layout: 'grid' },
      ),
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'table compact', 'data-testid': 'result-metrics' },
          h(
            'thead',
            null,
            h(
              'tr',
              null,
              h('th', null, 'Split'),
              shownKeys.map((key) => h('th', { class: 'num' }, metricLabel(key))),
            ),
          ),
          h(
            'tbody',
            null,
            splits.map((split) =>
              h(
                'tr',
                null,
                h('th', { scope: 'row' }, split === 'testMasked' ? 'test (history masked)' : split),
                shownKeys.map((key) => h('td', { class: 'num' }, fmtMetric(r[split][key]))),
              ),
            ),
          ),
        ),
      ),
    ];
  }
  if (job.kind === 'qubo.solve') {
    const cut = r.kind === 'maxcut';
    return keyValues(
      [
        [cut ? 'Cut' : r.kind === 'mis' ? 'Set size' : 'Value', h('strong', { 'data-testid': 'result-value' }, fmtEnergy(r.value))],
        ['Energy', h('span', { 'data-testid': 'result-energy' }, fmtEnergy(r.energy))],
        ['Time to best', h('span', { 'data-testid': 'result-time-to-best' }, fmtMs(r.timeToBestMs))],
        ['Run time', fmtMs(r.elapsedMs)],
        ['Feasible', r.feasible === true ? 'yes' : r.feasible === false ? 'no' : '—'],
        ['Variables', fmtInt(r.n)],
        ['Mode', r.mode ?? '—'],
        ['Flip attempts', fmtInt(r.flipAttempts)],
      ],
      'result-summary',
      { layout: 'grid' },
    );
  }
  if (job.kind === 'ssm.score') {
    return keyValues(
      [
        ['Users scored', h('strong', { 'data-testid': 'result-users' }, fmtInt(r.users))],
        ['Items per user (k)', h('span', { 'data-testid': 'result-k' }, fmtInt(r.k))],
        ['Seen items excluded', r.excludeSeen === true ? 'yes' : r.excludeSeen === false ? 'no' : '—'],
        ['Time', fmtSeconds(r.seconds)],
      ],
      'result-summary',
      { layout: 'grid' },
    );
  }
  return null;
}

function orphanWarning(orphaned) {
  if (!orphaned) return null;
  return h(
    'div',
    { class: 'card card-error', role: 'alert', 'data-testid': 'job-orphaned-warning' },
    h('h2', null, 'Worker lost'),
    h(
      'p',
      null,
      'This job is active, but no worker holds its lock: the worker running it died. BullMQ’s stalled-job check will put it back in its queue (or fail it after too many stalls); see ',
      h('a', { href: '#/workers' }, 'Workers'),
      '.',
    ),
  );
}
