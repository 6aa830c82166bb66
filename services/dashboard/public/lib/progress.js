// Job progress as the workers report it (packages/contracts JobProgress):
//   ssm.train  { epoch, maxEpochs, loss?, valid?, seconds?, bestEpoch?, batch?, batches? }
//              `epoch` is the last finished epoch (0 before the first) with its loss and validation
//              metrics; `batch`/`batches` count through the epoch being trained now (epoch + 1).
//   ssm.score  { done, total }
//   qubo.solve { elapsedMs, bestEnergy, sweeps }
// Fields may be missing; anything unexpected still shows as raw JSON.
import { h, jsonBlock, keyValues } from './dom.js';
import { fmtEnergy, fmtFloat, fmtInt, fmtMetric, fmtMs, fmtSeconds, isNum } from './format.js';

const isObject = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);

/** A fraction in [0, 1] when the progress says how far along the job is, else null. */
export function progressFraction(job) {
  const { kind, progress } = job;
  if (isNum(progress)) return Math.min(1, Math.max(0, progress > 1 ? progress / 100 : progress));
  if (!isObject(progress)) return null;
  const clamp = (x) => Math.min(1, Math.max(0, x));
  if (kind === 'ssm.train' && isNum(progress.epoch) && isNum(progress.maxEpochs) && progress.maxEpochs > 0) {
    // Early stopping may end training before maxEpochs: this is progress towards the upper bound.
    const inEpoch = isNum(progress.batch) && isNum(progress.batches) && progress.batches > 0 ? progress.batch / progress.batches : 0;
    return clamp((progress.epoch + inEpoch) / progress.maxEpochs);
  }
  if (kind === 'qubo.solve' && isNum(progress.elapsedMs)) {
    const budget = job.payload?.params?.timeLimitMs;
    return isNum(budget) && budget > 0 ? clamp(progress.elapsedMs / budget) : null;
  }
  if (isNum(progress.done) && isNum(progress.total) && progress.total > 0) return clamp(progress.done / progress.total);
  return null;
}

/** One line for the job table: "epoch 3/300 · loss 0.41 · NDCG@10 0.12", "best E −12 · 2.1 s". */
export function progressSummary(job) {
  const { kind, progress } = job;
  if (progress === null || progress === undefined) return '';
  if (isNum(progress)) return `${Math.round(progress)} %`;
  if (!isObject(progress)) return String(progress);
  const parts = [];
  if (kind === 'ssm.train') {
    if (isNum(progress.epoch)) parts.push(`${progress.epoch}${isNum(progress.maxEpochs) ? `/${progress.maxEpochs}` : ''} epochs`);
    if (isNum(progress.loss)) parts.push(`loss ${fmtFloat(progress.loss)}`);
    if (isNum(progress.valid?.['ndcg@10'])) parts.push(`NDCG@10 ${fmtMetric(progress.valid['ndcg@10'])}`);
  } else if (kind === 'qubo.solve') {
    if (isNum(progress.bestEnergy)) parts.push(`best E ${fmtEnergy(progress.bestEnergy)}`);
    if (isNum(progress.elapsedMs)) parts.push(fmtMs(progress.elapsedMs));
  } else if (kind === 'ssm.score' && isNum(progress.done)) {
    parts.push(`${fmtInt(progress.done)}${isNum(progress.total) ? ` / ${fmtInt(progress.total)}` : ''} users`);
  }
  if (parts.length > 0) return parts.join(' · ');
  const fraction = progressFraction(job);
  return fraction === null ? '…' : `${Math.round(fraction * 100)} %`;
}

export function progressBar(fraction, label) {
  const percent = Math.round(fraction * 100);
  const bar = h('div', { class: 'progress', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': percent });
  const fill = h('div', { class: 'progress-fill' });
  fill.style.width = `${percent}%`; // CSSOM, allowed by the CSP (no inline style attribute is parsed)
  bar.append(fill);
  return h('div', { class: 'progress-row' }, bar, h('span', { class: 'muted' }, `${percent} %${label ? ` ${label}` : ''}`));
}

/** Metric names in a stable, readable order: hr, ndcg, mrr first, then the rest alphabetically. */
export function metricKeys(...objects) {
  const keys = new Set();
  for (const object of objects) {
    if (isObject(object)) for (const [key, value] of Object.entries(object)) if (isNum(value)) keys.add(key);
  }
  const rank = (key) => {
    const index = ['hr', 'ndcg', 'mrr', 'recall', 'precision'].findIndex((prefix) => key.toLowerCase().startsWith(prefix));
    return index === -1 ? 99 : index;
  };
  return [...keys].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b, 'en', { numeric: true }));
}

/** The cut-off-10 metrics (HR@10, NDCG@10, MRR@10) when there are any, else all: for tight tables. */
export function headlineKeys(keys) {
  const at10 = keys.filter((key) => key.endsWith('@10'));
  return at10.length > 0 ? at10 : keys;
}

export function metricLabel(key) {
  return key.replace(/^(hr|ndcg|mrr)/i, (m) => m.toUpperCase());
}

/** The table of epochs `[{ epoch, loss, valid, seconds }]` used by the job and model views. */
export function epochTable(rows, { bestEpoch, testid = 'epoch-table' } = {}) {
  const keys = headlineKeys(metricKeys(...rows.map((row) => row.valid)));
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
            h('td', { class: 'num' }, fmtSeconds(row.seconds)),
          ),
        ),
      ),
    ),
  );
}

/**
 * The progress card of the job detail view. `epochs` are the ssm.train epochs known so far (seen
 * while this page polled, or the finished model's full history).
 */
export function progressPanel(job, { epochs = [], epochsNote, bestEpoch } = {}) {
  const { kind, progress } = job;
  const parts = [];
  if (progress === null || progress === undefined) {
    parts.push(h('p', { class: 'muted' }, 'No progress reported.'));
  } else {
    const fraction = progressFraction(job);
    if (fraction !== null) parts.push(progressBar(fraction, kind === 'qubo.solve' ? 'of the time budget' : ''));
    if (kind === 'ssm.train' && isObject(progress)) {
      const valid = isObject(progress.valid) ? progress.valid : {};
      parts.push(
        keyValues(
          [
            ['Epochs done', `${fmtInt(progress.epoch)}${isNum(progress.maxEpochs) ? ` of at most ${fmtInt(progress.maxEpochs)}` : ''}`],
            isNum(progress.batch) && isNum(progress.epoch)
              ? [`Epoch ${fmtInt(progress.epoch + 1)}`, `batch ${fmtInt(progress.batch)}${isNum(progress.batches) ? ` / ${fmtInt(progress.batches)}` : ''}`]
              : null,
            isNum(progress.loss) ? [`Loss (epoch ${fmtInt(progress.epoch)})`, fmtFloat(progress.loss)] : null,
            ...headlineKeys(metricKeys(valid)).map((key) => [`valid ${metricLabel(key)}`, fmtMetric(valid[key])]),
            isNum(progress.bestEpoch) ? ['Best epoch so far', fmtInt(progress.bestEpoch)] : null,
            isNum(progress.seconds) ? ['Epoch time', fmtSeconds(progress.seconds)] : null,
          ],
          'progress-summary',
        ),
      );
    } else if (kind === 'qubo.solve' && isObject(progress)) {
      parts.push(
        keyValues(
          [
            ['Best energy', h('strong', { 'data-testid': 'progress-best-energy' }, fmtEnergy(progress.bestEnergy))],
            isNum(progress.sweeps) ? ['Sweeps done', fmtInt(progress.sweeps)] : null,
            isNum(progress.elapsedMs) ? ['Elapsed', fmtMs(progress.elapsedMs)] : null,
          ],
          'progress-summary',
        ),
      );
    } else if (kind === 'ssm.score' && isObject(progress) && isNum(progress.done)) {
      parts.push(keyValues([['Users scored', `${fmtInt(progress.done)}${isNum(progress.total) ? ` / ${fmtInt(progress.total)}` : ''}`]], 'progress-summary'));
    }
    parts.push(h('details', { class: 'raw' }, h('summary', null, 'Raw progress JSON'), jsonBlock(progress, 'job-progress-json')));
  }
  if (kind === 'ssm.train' && epochs.length > 0) {
    parts.push(
      h('h3', null, 'Epochs'),
      epochsNote ? h('p', { class: 'muted' }, epochsNote) : null,
      epochTable(epochs, { bestEpoch: bestEpoch ?? (isObject(progress) ? progress.bestEpoch : undefined), testid: 'progress-epochs' }),
    );
  }
  return parts;
}
