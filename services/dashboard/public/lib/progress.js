// Job progress is free-form JSON reported by the workers. These helpers read the fields the SSM
// trainer and the QUBO annealer report, tolerating missing or renamed fields, and fall back to JSON.
import { h, jsonBlock, keyValues } from './dom.js';
import { fmtEnergy, fmtFloat, fmtInt, fmtMetric, fmtMs, fmtSeconds, isNum } from './format.js';

const first = (object, keys) => {
  for (const key of keys) if (object?.[key] !== undefined && object[key] !== null) return object[key];
  return undefined;
};

/** The per-epoch history an ssm.train progress carries, if any: `[{ epoch, loss, valid, seconds }]`. */
export function epochHistory(progress) {
  const history = first(progress, ['history', 'epochs', 'epochLog', 'log']);
  return Array.isArray(history) ? history.filter((row) => row !== null && typeof row === 'object') : [];
}

function trainFields(progress) {
  const history = epochHistory(progress);
  const last = history.at(-1);
  const epoch = first(progress, ['epoch', 'currentEpoch']) ?? last?.epoch;
  const total = first(progress, ['totalEpochs', 'maxEpochs', 'numEpochs', ...(isNum(progress?.epochs) ? ['epochs'] : [])]);
  const loss = first(progress, ['loss', 'trainLoss']) ?? last?.loss;
  const valid = first(progress, ['valid', 'validMetrics', 'metrics']) ?? last?.valid;
  return { epoch, total, loss, valid: valid && typeof valid === 'object' ? valid : undefined, history };
}

function quboFields(progress) {
  return {
    bestEnergy: first(progress, ['bestEnergy', 'best', 'energy']),
    sweep: first(progress, ['sweep', 'sweepsDone', 'iteration']),
    sweeps: first(progress, ['sweeps', 'totalSweeps']),
    restart: first(progress, ['restart', 'restarts']),
    elapsedMs: first(progress, ['elapsedMs', 'tMs', 'timeMs']),
  };
}

/** A fraction in [0, 1] when the progress says how far along it is, else null. */
export function progressFraction(kind, progress) {
  if (isNum(progress)) return progress > 1 ? Math.min(1, progress / 100) : progress;
  if (progress === null || typeof progress !== 'object') return null;
  if (isNum(progress.percent)) return Math.min(1, progress.percent / 100);
  if (isNum(progress.fraction)) return Math.min(1, progress.fraction);
  if (kind === 'ssm.train') {
    const { epoch, total } = trainFields(progress);
    return isNum(epoch) && isNum(total) && total > 0 ? Math.min(1, epoch / total) : null;
  }
  if (kind === 'qubo.solve') {
    const { sweep, sweeps } = quboFields(progress);
    return isNum(sweep) && isNum(sweeps) && sweeps > 0 ? Math.min(1, sweep / sweeps) : null;
  }
  const done = first(progress, ['done', 'processed', 'current']);
  const total = first(progress, ['total', 'count']);
  return isNum(done) && isNum(total) && total > 0 ? Math.min(1, done / total) : null;
}

/** One line for the job table: "epoch 3/20 · loss 0.41", "best E −12", "42 %". */
export function progressSummary(kind, progress) {
  if (progress === null || progress === undefined) return '';
  if (isNum(progress)) return `${Math.round(progress)} %`;
  if (typeof progress !== 'object') return String(progress);
  if (kind === 'ssm.train') {
    const { epoch, total, loss, valid } = trainFields(progress);
    const parts = [];
    if (isNum(epoch)) parts.push(`epoch ${epoch}${isNum(total) ? `/${total}` : ''}`);
    if (isNum(loss)) parts.push(`loss ${fmtFloat(loss)}`);
    if (isNum(valid?.['ndcg@10'])) parts.push(`NDCG@10 ${fmtMetric(valid['ndcg@10'])}`);
    if (parts.length > 0) return parts.join(' · ');
  }
  if (kind === 'qubo.solve') {
    const { bestEnergy, sweep, sweeps } = quboFields(progress);
    const parts = [];
    if (isNum(bestEnergy)) parts.push(`best E ${fmtEnergy(bestEnergy)}`);
    if (isNum(sweep)) parts.push(`sweep ${fmtInt(sweep)}${isNum(sweeps) ? `/${fmtInt(sweeps)}` : ''}`);
    if (parts.length > 0) return parts.join(' · ');
  }
  const fraction = progressFraction(kind, progress);
  return fraction === null ? '…' : `${Math.round(fraction * 100)} %`;
}

export function progressBar(fraction) {
  const percent = Math.round(fraction * 100);
  const bar = h('div', {
    class: 'progress',
    role: 'progressbar',
    'aria-valuemin': 0,
    'aria-valuemax': 100,
    'aria-valuenow': percent,
  });
  const fill = h('div', { class: 'progress-fill' });
  fill.style.width = `${percent}%`;
  bar.append(fill);
  return h('div', { class: 'progress-row' }, bar, h('span', { class: 'muted' }, `${percent} %`));
}

/** Metric names in a stable, readable order: hr, ndcg, mrr first, then the rest alphabetically. */
export function metricKeys(...objects) {
  const keys = new Set();
  for (const object of objects) {
    if (object && typeof object === 'object') for (const [key, value] of Object.entries(object)) if (isNum(value)) keys.add(key);
  }
  const rank = (key) => {
    const index = ['hr', 'ndcg', 'mrr', 'recall', 'precision'].findIndex((prefix) => key.toLowerCase().startsWith(prefix));
    return index === -1 ? 99 : index;
  };
  return [...keys].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b, 'en', { numeric: true }));
}

export function metricLabel(key) {
  return key.replace(/^(hr|ndcg|mrr)/i, (m) => m.toUpperCase());
}

/** The table of epochs used by job progress and model detail. */
export function epochTable(rows, { bestEpoch, testid = 'epoch-table' } = {}) {
  const keys = metricKeys(...rows.map((row) => row.valid));
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'table compact', 'data-testid': testid },
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          h('th', { class: 'num' }, 'Epoch'),
          h('th', { class: 'num' }, 'Loss'),
          keys.map((key) => h('th', { class: 'num' }, `valid ${metricLabel(key)}`)),
          h('th', { class: 'num' }, 'Time'),
        ),
      ),
      h(
        'tbody',
        null,
        rows.map((row) =>
          h(
            'tr',
            { class: row.epoch === bestEpoch ? 'best' : null, 'data-epoch': row.epoch },
            h('td', { class: 'num' }, fmtInt(row.epoch), row.epoch === bestEpoch ? h('span', { class: 'best-mark', title: 'best epoch' }, ' ★') : null),
            h('td', { class: 'num' }, fmtFloat(row.loss)),
            keys.map((key) => h('td', { class: 'num' }, fmtMetric(row.valid?.[key]))),
            h('td', { class: 'num' }, isNum(row.seconds) ? fmtSeconds(row.seconds) : fmtMs(row.ms)),
          ),
        ),
      ),
    ),
  );
}

/** The progress section of the job detail view. */
export function progressPanel(kind, progress) {
  if (progress === null || progress === undefined) return h('p', { class: 'muted' }, 'No progress reported yet.');
  const fraction = progressFraction(kind, progress);
  const parts = [fraction === null ? null : progressBar(fraction)];
  if (kind === 'ssm.train' && typeof progress === 'object') {
    const { epoch, total, loss, valid, history } = trainFields(progress);
    parts.push(
      keyValues(
        [
          ['Epoch', `${fmtInt(epoch)}${isNum(total) ? ` / ${fmtInt(total)}` : ''}`],
          ['Loss', fmtFloat(loss)],
          ...metricKeys(valid).map((key) => [`valid ${metricLabel(key)}`, fmtMetric(valid[key])]),
        ],
        'progress-summary',
      ),
    );
    if (history.length > 0) parts.push(epochTable(history, { testid: 'progress-epochs' }));
  } else if (kind === 'qubo.solve' && typeof progress === 'object') {
    const { bestEnergy, sweep, sweeps, restart, elapsedMs } = quboFields(progress);
    parts.push(
      keyValues(
        [
          ['Best energy', h('strong', { 'data-testid': 'progress-best-energy' }, fmtEnergy(bestEnergy))],
          isNum(sweep) ? ['Sweep', `${fmtInt(sweep)}${isNum(sweeps) ? ` / ${fmtInt(sweeps)}` : ''}`] : null,
          isNum(restart) ? ['Restart', fmtInt(restart)] : null,
          isNum(elapsedMs) ? ['Elapsed', fmtMs(elapsedMs)] : null,
        ],
        'progress-summary',
      ),
    );
  }
  parts.push(h('details', { class: 'raw' }, h('summary', null, 'Raw progress JSON'), jsonBlock(progress, 'job-progress-json')));
  return parts;
}
