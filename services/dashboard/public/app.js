// Kiln dashboard: a hash-routed single-page app. Each view is `async (root, context)`; switching
// views aborts the previous one's signal, which stops its polling and drops its late responses.
import { api, describeError } from './lib/api.js';
import { h, setChildren, setText } from './lib/dom.js';
import { loadSession, logOut, role } from './lib/session.js';
import { errorBox, loadCatalog } from './lib/ui.js';
import { datasetsView } from './views/datasets.js';
import { jobView } from './views/job.js';
import { jobsView } from './views/jobs.js';
import { modelView, modelsView } from './views/models.js';
import { quboSolutionView, quboView } from './views/qubo.js';
import { newJobView } from './views/new-job.js';
import { pipelineView, pipelinesView, schedulesView } from './views/pipelines.js';
import { queuesView } from './views/queues.js';
import { tuneView, tunesView } from './views/tunes.js';
import { workersView } from './views/workers.js';

const ROUTES = [
  { pattern: /^\/queues$/, view: queuesView, nav: 'queues', title: 'Queues' },
  { pattern: /^\/jobs$/, view: jobsView, nav: 'jobs', title: 'Jobs' },
  { pattern: /^\/jobs\/([^/]+)$/, view: jobView, nav: 'jobs', title: 'Job' },
  { pattern: /^\/models$/, view: modelsView, nav: 'models', title: 'Models' },
  { pattern: /^\/models\/([^/]+)$/, view: modelView, nav: 'models', title: 'Model' },
  { pattern: /^\/qubo$/, view: quboView, nav: 'qubo', title: 'QUBO solutions' },
  { pattern: /^\/qubo\/([^/]+)$/, view: quboSolutionView, nav: 'qubo', title: 'QUBO solution' },
  { pattern: /^\/datasets$/, view: datasetsView, nav: 'datasets', title: 'Datasets' },
  { pattern: /^\/new$/, view: newJobView, nav: 'new', title: 'New job' },
  { pattern: /^\/workers$/, view: workersView, nav: 'workers', title: 'Workers' },
  { pattern: /^\/pipelines$/, view: pipelinesView, nav: 'pipelines', title: 'Pipelines' },
  { pattern: /^\/pipelines\/([^/]+)$/, view: pipelineView, nav: 'pipelines', title: 'Pipeline' },
  { pattern: /^\/schedules$/, view: schedulesView, nav: 'schedules', title: 'Schedules' },
  { pattern: /^\/tunes$/, view: tunesView, nav: 'tunes', title: 'Tuning' },
  { pattern: /^\/tunes\/([^/]+)$/, view: tuneView, nav: 'tunes', title: 'Tune' },
];

const root = document.getElementById('view');
let current = null;

function parseHash() {
  const raw = location.hash.replace(/^#/, '') || '/queues';
  const at = raw.indexOf('?');
  const pathPart = at === -1 ? raw : raw.slice(0, at);
  return { path: pathPart, query: new URLSearchParams(at === -1 ? '' : raw.slice(at + 1)) };
}

function decode(segment) {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

async function route() {
  current?.abort();
  const controller = new AbortController();
  current = controller;
  const { path, query } = parseHash();
  const match = ROUTES.map((r) => ({ r, m: r.pattern.exec(path) })).find(({ m }) => m !== null);

  for (const link of document.querySelectorAll('[data-nav]')) {
    const active = match?.r.nav === link.dataset.nav;
    link.classList.toggle('active', active);
    if (active) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  if (match === undefined) {
    document.title = 'Not found · Kiln';
    setChildren(
      root,
      h(
        'section',
        { 'data-testid': 'view-not-found' },
        h('h1', null, 'Not found'),
        h('p', null, 'No view at ', h('code', null, `#${path}`), '. ', h('a', { href: '#/queues' }, 'Go to queues')),
      ),
    );
    return;
  }
  document.title = `${match.r.title} · Kiln`;
  const params = match.m.slice(1).map(decode);
  try {
    await match.r.view(root, { params, query, signal: controller.signal });
  } catch (error) {
    if (error?.name !== 'AbortError' && !controller.signal.aborted) setChildren(root, errorBox(error));
  }
}

/** The API pill in the top bar: is the Kiln API behind the proxy answering? */
async function checkApi() {
  const pill = document.getElementById('api-status');
  try {
    await api('/healthz');
    pill.dataset.status = 'ok';
    setText(pill, 'API ok');
    pill.title = 'Kiln API is answering';
  } catch (error) {
    pill.dataset.status = 'down';
    setText(pill, 'API unreachable');
    pill.title = describeError(error);
  }
}

/** The top bar's user area: the key's name, its role, and Log out. */
function showSession(session) {
  const user = document.getElementById('session-user');
  const current = role();
  user.dataset.role = current;
  setChildren(
    user,
    h('span', { class: 'session-name' }, session.name),
    ' ',
    h('span', { class: `badge role-${current}`, 'data-testid': 'session-role' }, current),
  );
  // A viewer cannot submit: no New job link.
  const newJob = document.querySelector('[data-nav="new"]');
  if (newJob !== null) newJob.hidden = current === 'viewer';
  user.title = `API key ${session.name} (${session.keyId}): ${session.scopes.join(', ')}`;
  const button = document.getElementById('logout');
  button.hidden = false;
  button.addEventListener('click', () => {
    button.disabled = true;
    void logOut();
  });
}

// The session first (without one, loadSession goes to the login page), then the catalog and the view.
loadSession()
  .then((session) => {
    showSession(session);
    window.addEventListener('hashchange', () => void route());
    void checkApi();
    setInterval(() => void checkApi(), 10_000);
    return loadCatalog();
  })
  .then(
    () => route(),
    (error) => setChildren(root, errorBox(error)),
  );
