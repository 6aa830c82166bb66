// Datasets: the uploaded interaction logs (users, items, interactions) and an upload form with progress.
import { describeError } from '../lib/api.js';
import { h, setChildren, setText } from '../lib/dom.js';
import { fmtInt } from '../lib/format.js';
import { forgetNames, listAll } from '../lib/lists.js';
import { can } from '../lib/session.js';
import { emptyRow, errorBox, flash, namedId, timeCell, viewHeader } from '../lib/ui.js';
import { fmtBytes, uploadFile, uploadProgress } from '../lib/upload.js';

const COLUMNS = ['Dataset', 'Format', 'Users', 'Items', 'Interactions', 'k-core', 'Created', ''];
const FORMATS = [
  ['csv', 'csv: header user,item,timestamp'],
  ['sasrec', 'sasrec: "user item" lines in time order'],
  ['movielens', 'movielens: ratings.dat'],
  ['recbole', 'recbole: .inter'],
];

export async function datasetsView(root, { signal }) {
  const status = h('div', { class: 'view-status' });
  const tbody = h('tbody');
  const table = h(
    'table',
    { class: 'table', 'data-testid': 'datasets-table' },
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        COLUMNS.map((c, i) => h('th', { class: i >= 2 && i <= 5 ? 'num' : null }, c)),
      ),
    ),
    tbody,
  );
  const refresh = async () => {
    const items = await listAll('/v1/datasets', { signal });
    if (signal.aborted) return;
    if (items.length === 0) {
      setChildren(tbody, emptyRow(COLUMNS.length, 'No datasets yet: upload an interaction log.', 'datasets-empty'));
      return;
    }
    setChildren(
      tbody,
      items.map((d) =>
        h(
          'tr',
          { 'data-testid': `dataset-row-${d.id}`, 'data-name': d.name },
          h('td', null, namedId(d.name, d.id, { testid: 'dataset-name' })),
          h('td', null, d.format),
          h('td', { class: 'num' }, fmtInt(d.users)),
          h('td', { class: 'num' }, fmtInt(d.items)),
          h('td', { class: 'num' }, fmtInt(d.interactions)),
          h('td', { class: 'num' }, fmtInt(d.kcore)),
          h('td', { class: 'nowrap' }, timeCell(d.createdAt)),
          h(
            'td',
            null,
            can('submit') ? h('a', { href: `#/new?kind=ssm.train&dataset=${encodeURIComponent(d.id)}`, 'data-testid': 'dataset-train' }, 'Train →') : null,
          ),
        ),
      ),
    );
  };

  setChildren(
    root,
    h(
      'section',
      { 'data-testid': 'view-datasets' },
      viewHeader('Datasets', { sub: 'Interaction logs for training, newest first' }),
      can('submit') ? uploadPanel(async () => refresh().catch((error) => setChildren(status, errorBox(error)))) : null,
      status,
      h('div', { class: 'table-wrap' }, table),
    ),
  );
  try {
    await refresh();
  } catch (error) {
    if (error?.name !== 'AbortError' && !signal.aborted) setChildren(status, errorBox(error));
  }
}

function uploadPanel(onUploaded) {
  const file = h('input', { type: 'file', required: true, 'data-testid': 'dataset-file', accept: '.csv,.txt,.dat,.inter,text/*' });
  const name = h('input', { type: 'text', required: true, maxlength: 200, placeholder: 'e.g. ml-1m', 'data-testid': 'dataset-upload-name' });
  const format = h(
    'select',
    { 'data-testid': 'dataset-format' },
    FORMATS.map(([v, t]) => h('option', { value: v }, t)),
  );
  const kcore = h('input', { type: 'number', min: 0, max: 1000, step: 1, value: 5, 'data-testid': 'dataset-kcore' });
  const button = h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'dataset-upload' }, 'Upload');
  const progress = uploadProgress(h, 'dataset-upload-progress');
  const message = h('p', { class: 'form-message', role: 'status', 'data-testid': 'dataset-upload-message' });
  let autoName = '';
  file.addEventListener('change', () => {
    const picked = file.files?.[0];
    // The file's name, unless the user typed one of their own.
    if (picked && (name.value === '' || name.value === autoName)) {
      autoName = picked.name.replace(/\.[^.]+$/, '');
      name.value = autoName;
    }
    if (picked?.name.endsWith('.dat')) format.value = 'movielens';
    else if (picked?.name.endsWith('.inter')) format.value = 'recbole';
    progress.reset();
    setText(message, picked ? `${picked.name}, ${fmtBytes(picked.size)}` : '');
  });
  const form = h(
    'form',
    { class: 'upload-form', 'data-testid': 'dataset-upload-form' },
    h(
      'div',
      { class: 'form-grid' },
      field('File', file),
      field('Name', name),
      field('Format', format),
      field('k-core (drop users and items with fewer interactions; 0 keeps all)', kcore),
    ),
    progress.el,
    message,
    h('div', { class: 'form-actions' }, button),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const picked = file.files?.[0];
    if (!picked) return;
    button.disabled = true;
    message.className = 'form-message';
    setText(message, 'Uploading…');
    progress.set(0, picked.size);
    const query = new URLSearchParams({ format: format.value, name: name.value.trim(), kcore: kcore.value || '5' });
    try {
      const created = await uploadFile(`/v1/datasets?${query}`, picked, { onProgress: (loaded, total) => progress.set(loaded, total) });
      setText(
        message,
        `Stored ${created.name}: ${fmtInt(created.users)} users, ${fmtInt(created.items)} items, ${fmtInt(created.interactions)} interactions (${fmtInt(created.droppedInteractions)} dropped).`,
      );
      message.className = 'form-message ok';
      flash(`Dataset ${created.name} uploaded`);
      forgetNames();
      form.dataset.uploaded = created.id;
      await onUploaded();
    } catch (error) {
      message.className = 'form-message form-error';
      setText(message, describeError(error));
    } finally {
      button.disabled = false;
    }
  });
  return h('details', { class: 'panel', open: true, 'data-testid': 'dataset-upload-panel' }, h('summary', null, 'Upload a dataset'), form);
}

function field(label, input) {
  return h('label', { class: 'field' }, h('span', null, label), input);
}
