// New job: a training form (dataset by name, the preset's fields with their defaults and limits), a
// scoring form (model by name) and a QUBO form (pick an uploaded problem by name, or upload one).
// Fields, limits and defaults come from the catalog (/catalog.json: the request schemas and the
// defaults of @kiln/ssm's config); nothing here repeats them.
import { api, describeError } from '../lib/api.js';
import { h, setChildren, setText } from '../lib/dom.js';
import { fmtInt, fmtMetric } from '../lib/format.js';
import { schemaFields } from '../lib/form.js';
import { forgetNames, listAll } from '../lib/lists.js';
import { can } from '../lib/session.js';
import { FORMS, errorBox, flash, viewHeader } from '../lib/ui.js';
import { fmtBytes, uploadFile, uploadProgress } from '../lib/upload.js';

const TABS = [
  ['ssm.train', 'Train a model'],
  ['ssm.score', 'Score users'],
  ['qubo.solve', 'Solve a QUBO'],
];

export async function newJobView(root, { query, signal }) {
  const kind = TABS.some(([k]) => k === query.get('kind')) ? query.get('kind') : 'ssm.train';
  const body = h('div', { class: 'detail-body' });
  setChildren(
    root,
    h(
      'section',
      { 'data-testid': 'view-new-job' },
      viewHeader('New job', { sub: 'Fields, limits and defaults from the job catalog' }),
      h(
        'nav',
        { class: 'tabs', 'aria-label': 'Job kinds' },
        TABS.map(([k, label]) =>
          h(
            'a',
            { href: `#/new?kind=${k}`, class: k === kind ? 'active' : null, 'aria-current': k === kind ? 'page' : null, 'data-testid': `new-tab-${k}` },
            label,
          ),
        ),
      ),
      body,
    ),
  );
  if (!can('submit')) {
    setChildren(body, errorBox(new Error('This key may not submit jobs (it has no submit scope).')));
    return;
  }
  try {
    const form = kind === 'ssm.train' ? await trainForm(query, signal) : kind === 'ssm.score' ? await scoreForm(query, signal) : await quboForm(query, signal);
    if (!signal.aborted) setChildren(body, form);
  } catch (error) {
    if (error?.name !== 'AbortError' && !signal.aborted) setChildren(body, errorBox(error));
  }
}

const field = (label, input, hint) => h('label', { class: 'field' }, h('span', null, label), input, hint ? h('small', { class: 'muted hint' }, hint) : null);

/** Submits `{ kind, payload }` and opens the new job's page. */
async function submit(kind, payload, button, message) {
  button.disabled = true;
  setText(message, '');
  try {
    const created = await api('/v1/jobs', { method: 'POST', body: { kind, payload } });
    flash(`Submitted ${kind} job ${created.id}`);
    location.hash = `#/jobs/${encodeURIComponent(created.id)}`;
  } catch (error) {
    setText(message, describeError(error));
  } finally {
    button.disabled = false;
  }
}

function formShell(testid, children, button, message) {
  return h(
    'form',
    { class: 'card job-form', 'data-testid': testid, novalidate: false },
    children,
    h('p', { class: 'form-error', role: 'alert', 'data-testid': `${testid}-error` }, message),
    h('div', { class: 'form-actions' }, button),
  );
}

async function trainForm(query, signal) {
  const schema = FORMS.schemas?.['ssm.train'] ?? {};
  const defaults = FORMS.defaults?.['ssm.train'] ?? {};
  const datasets = await listAll('/v1/datasets', { signal });
  if (datasets.length === 0)
    return h('p', { class: 'card muted', 'data-testid': 'train-no-datasets' }, 'No datasets yet: ', h('a', { href: '#/datasets' }, 'upload one'), ' first.');
  const dataset = h(
    'select',
    { required: true, 'data-testid': 'train-dataset' },
    datasets.map((d) =>
      h('option', { value: d.id, selected: d.id === query.get('dataset') }, `${d.name} · ${fmtInt(d.users)} users · ${fmtInt(d.items)} items`),
    ),
  );
  const name = h('input', { type: 'text', maxlength: 200, placeholder: 'mamba4rec-<dataset name>', 'data-testid': 'train-name' });
  const presetNames = Object.keys(defaults.presets ?? {});
  const preset = h(
    'select',
    { 'data-testid': 'train-preset' },
    presetNames.map((p) => h('option', { value: p }, p)),
  );
  const model = schemaFields(schema.properties?.model, defaults.model, { prefix: 'train-model', testid: 'train-model-fields' });
  const training = schemaFields(schema.properties?.training, defaults.presets?.[preset.value], { prefix: 'train-training', testid: 'train-training-fields' });
  preset.addEventListener('change', () => training.setDefaults(defaults.presets?.[preset.value]));
  const message = h('span');
  const button = h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'train-submit' }, 'Submit ssm.train job');
  const form = formShell(
    'train-form',
    [
      h(
        'div',
        { class: 'form-grid' },
        field('Dataset', dataset),
        field('Model name (optional)', name),
        field('Preset', preset, schema.properties?.preset?.description),
      ),
      h('fieldset', null, h('legend', null, 'Model'), model.el),
      h('fieldset', null, h('legend', null, 'Training (the preset’s values; change any)'), training.el),
    ],
    button,
    message,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const payload = { datasetId: dataset.value, preset: preset.value, model: model.values(), training: training.values() };
    if (name.value.trim() !== '') payload.name = name.value.trim();
    void submit('ssm.train', payload, button, message);
  });
  return form;
}

async function scoreForm(query, signal) {
  const schema = FORMS.schemas?.['ssm.score'] ?? {};
  const defaults = FORMS.defaults?.['ssm.score'] ?? {};
  const [models, datasets] = await Promise.all([listAll('/v1/models', { signal }), listAll('/v1/datasets', { signal }).catch(() => [])]);
  if (models.length === 0)
    return h(
      'p',
      { class: 'card muted', 'data-testid': 'score-no-models' },
      'No trained models yet: ',
      h('a', { href: '#/new?kind=ssm.train' }, 'train one'),
      ' first.',
    );
  const datasetName = new Map(datasets.map((d) => [d.id, d.name]));
  const model = h(
    'select',
    { required: true, 'data-testid': 'score-model' },
    models.map((m) =>
      h(
        'option',
        { value: m.id, selected: m.id === query.get('model') },
        `${m.name} v${m.version} · ${datasetName.get(m.datasetId) ?? 'dataset ?'} · test NDCG@10 ${fmtMetric(m.metrics?.test?.['ndcg@10'])}`,
      ),
    ),
  );
  const k = schema.properties?.k ?? {};
  const kInput = h('input', { type: 'number', min: k.minimum, max: k.maximum, step: 1, value: defaults.k, required: true, 'data-testid': 'score-k' });
  const exclude = h('input', { type: 'checkbox', checked: defaults.excludeSeen !== false, 'data-testid': 'score-exclude-seen' });
  const users = h('textarea', { rows: 3, placeholder: 'all users (or user ids, one per line or comma-separated)', 'data-testid': 'score-users' });
  const message = h('span');
  const button = h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'score-submit' }, 'Submit ssm.score job');
  const form = formShell(
    'score-form',
    h(
      'div',
      { class: 'form-grid' },
      field('Model', model),
      field(`Items per user (k, ${k.minimum ?? 1} – ${k.maximum ?? '…'})`, kInput, k.description),
      field('Exclude seen items', exclude, schema.properties?.excludeSeen?.description),
      field('Users', users, schema.properties?.users?.description),
    ),
    button,
    message,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const list = users.value
      .split(/[\s,]+/)
      .map((u) => u.trim())
      .filter(Boolean);
    void submit(
      'ssm.score',
      { modelId: model.value, k: Number(kInput.value), excludeSeen: exclude.checked, users: list.length > 0 ? list : 'all' },
      button,
      message,
    );
  });
  return form;
}

const PROBLEM_FORMATS = [
  ['json', 'json: {n, terms, offset}'],
  ['gset', 'gset: a G-set graph'],
  ['bqp', 'bqp: OR-Library (several problems)'],
  ['sparse', 'sparse: Biq Mac'],
];

async function quboForm(query, signal) {
  const schema = FORMS.schemas?.['qubo.solve'] ?? {};
  let problems = await listAll('/v1/qubo/problems', { signal });
  const problem = h('select', { 'data-testid': 'qubo-problem' });
  const fillProblems = (selectedId) => {
    setChildren(
      problem,
      problems.length === 0 ? h('option', { value: '' }, 'no problems uploaded yet') : null,
      problems.map((p) =>
        h('option', { value: p.id, selected: p.id === selectedId }, `${p.name} · n ${fmtInt(p.n)} · ${fmtInt(p.numTerms)} terms · ${p.kind}`),
      ),
    );
  };
  fillProblems(query.get('problem'));

  // Upload a problem file: it joins the list, selected.
  const file = h('input', { type: 'file', 'data-testid': 'qubo-problem-file' });
  const name = h('input', { type: 'text', maxlength: 200, placeholder: 'e.g. G1', 'data-testid': 'qubo-problem-name' });
  const format = h(
    'select',
    { 'data-testid': 'qubo-problem-format' },
    PROBLEM_FORMATS.map(([v, t]) => h('option', { value: v }, t)),
  );
  const graphKind = h(
    'select',
    { 'data-testid': 'qubo-problem-kind' },
    h('option', { value: 'maxcut' }, 'Max-Cut'),
    h('option', { value: 'mis' }, 'maximum independent set'),
  );
  const progress = uploadProgress(h, 'qubo-upload-progress');
  const uploadMessage = h('p', { class: 'form-message', role: 'status', 'data-testid': 'qubo-upload-message' });
  const uploadButton = h('button', { type: 'button', class: 'btn', 'data-testid': 'qubo-problem-upload' }, 'Upload problem');
  let autoName = '';
  file.addEventListener('change', () => {
    const picked = file.files?.[0];
    // The file's name, unless the user typed one of their own.
    if (picked && (name.value === '' || name.value === autoName)) {
      autoName = picked.name.replace(/\.[^.]+$/, '');
      name.value = autoName;
    }
    if (picked?.name.endsWith('.json')) format.value = 'json';
    else if (picked?.name.endsWith('.sparse')) format.value = 'sparse';
    progress.reset();
    setText(uploadMessage, picked ? `${picked.name}, ${fmtBytes(picked.size)}` : '');
  });
  uploadButton.addEventListener('click', async () => {
    const picked = file.files?.[0];
    if (!picked || name.value.trim() === '') {
      setText(uploadMessage, 'Pick a file and give it a name.');
      return;
    }
    uploadButton.disabled = true;
    progress.set(0, picked.size);
    try {
      const params = new URLSearchParams({ format: format.value, name: name.value.trim(), kind: graphKind.value });
      const created = await uploadFile(`/v1/qubo/problems?${params}`, picked, { onProgress: (l, t) => progress.set(l, t) });
      forgetNames();
      problems = await listAll('/v1/qubo/problems', { signal });
      fillProblems(created.id);
      setText(
        uploadMessage,
        `Stored ${created.count} problem${created.count === 1 ? '' : 's'}: ${created.problems.map((p) => p.name).join(', ')} (n ${fmtInt(created.n)}), selected.`,
      );
    } catch (error) {
      setText(uploadMessage, describeError(error));
    } finally {
      uploadButton.disabled = false;
    }
  });

  const params = schemaFields(schema.properties?.params, {}, { prefix: 'qubo-param', testid: 'qubo-param-fields' });
  const message = h('span');
  const button = h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'qubo-submit-button' }, 'Submit qubo.solve job');
  const form = formShell(
    'qubo-form',
    [
      h('div', { class: 'form-grid' }, field('Problem', problem, schema.properties?.problemId?.description)),
      h(
        'fieldset',
        { 'data-testid': 'qubo-upload' },
        h('legend', null, 'Or upload a problem file'),
        h('div', { class: 'form-grid' }, field('File', file), field('Name', name), field('Format', format), field('Graph files build', graphKind)),
        progress.el,
        uploadMessage,
        uploadButton,
      ),
      h('fieldset', null, h('legend', null, 'Annealing parameters'), h('p', { class: 'muted' }, schema.properties?.params?.description ?? ''), params.el),
    ],
    button,
    message,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (problem.value === '') {
      setText(message, 'Pick or upload a problem first.');
      return;
    }
    void submit('qubo.solve', { problemId: problem.value, params: params.values() }, button, message);
  });
  return form;
}
