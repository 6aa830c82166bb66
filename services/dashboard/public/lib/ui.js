// Shared pieces of the UI: badges, the flash message, polling, view chrome.
import { describeError } from './api.js';
import { h, setChildren } from './dom.js';
import { fmtAgo, fmtTime, shortId } from './format.js';

// Job kinds and states come from the job catalog (@kiln/contracts), which the dashboard server
// publishes at /catalog.json; app.js loads it before the first view renders.
export let JOB_KINDS = [];
export let JOB_STATES = [];
export let KIND_INFO = new Map();
/** The submit forms' request schemas (JSON Schema) and defaults: `{ schemas: { kind: schema }, defaults }`. */
export let FORMS = { schemas: {}, defaults: {} };

export async function loadCatalog() {
  const response = await fetch('/catalog.json', { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`could not load the job catalog (HTTP ${response.status})`);
  const catalog = await response.json();
  JOB_KINDS = catalog.kinds.map((entry) => entry.kind);
  JOB_STATES = [...catalog.states];
  KIND_INFO = new Map(catalog.kinds.map((entry) => [entry.kind, entry]));
  if (catalog.forms) FORMS = catalog.forms;
}
export const CANCELLABLE = new Set(['waiting', 'delayed', 'active']);
export const RETRYABLE = new Set(['failed', 'cancelled']);
export const TERMINAL = new Set(['completed', 'failed', 'cancelled']);

export function stateBadge(state, testid = 'job-state') {
  return h('span', { class: `badge state-${state}`, 'data-testid': testid, 'data-state': state }, state);
}

export function kindTag(kind) {
  return h('span', { class: 'kind', title: KIND_INFO.get(kind)?.description }, kind);
}

export function timeCell(iso) {
  return h('time', { datetime: iso ?? undefined, title: iso ? `${iso} (${fmtAgo(iso)})` : undefined }, fmtTime(iso));
}

/** A name with its short id beside it (`ml-1m · 3f2a…9c1d`); the full id in the title. */
export function namedId(name, id, { href, testid } = {}) {
  const label = name ?? shortId(id);
  return h(
    'span',
    { class: 'named-id', title: id, 'data-testid': testid },
    href ? h('a', { href }, label) : h('span', { class: 'name' }, label),
    name ? h('span', { class: 'mono muted id-beside' }, ` ${shortId(id)}`) : null,
  );
}

export function jobLink(id, testid = 'job-link') {
  return h('a', { href: `#/jobs/${encodeURIComponent(id)}`, class: 'mono', title: id, 'data-testid': testid }, shortId(id));
}

/** The page header of a view: title, optional subtitle nodes, optional right-hand nodes. */
export function viewHeader(title, { sub, right } = {}) {
  return h(
    'header',
    { class: 'view-head' },
    h('div', null, h('h1', null, title), sub ? h('p', { class: 'sub' }, sub) : null),
    h('div', { class: 'view-head-right' }, right ?? null),
  );
}

export function errorBox(error, testid = 'view-error') {
  return h('div', { class: 'error-box', role: 'alert', 'data-testid': testid }, describeError(error));
}

export function emptyRow(columns, text, testid) {
  return h('tr', { class: 'empty', 'data-testid': testid }, h('td', { colspan: columns }, text));
}

let flashTimer;
/** A short message at the top of the page; `kind` is 'ok' or 'error'. */
export function flash(message, kind = 'ok') {
  const el = document.getElementById('flash');
  if (el === null) return;
  clearTimeout(flashTimer);
  el.className = `flash flash-${kind}`;
  el.dataset.kind = kind;
  setChildren(el, message);
  el.hidden = false;
  flashTimer = setTimeout(
    () => {
      el.hidden = true;
    },
    kind === 'error' ? 10_000 : 4_000,
  );
}

/**
 * Calls `fn` now and then every `ms` (each call waits for the previous one) until `signal` aborts.
 * `ms` may be a function so the period can follow the data (fast while a job runs).
 * Errors go to `onError`; aborted fetches are ignored.
 */
export function poll(fn, ms, signal, onError) {
  let timer;
  const tick = async () => {
    if (signal.aborted) return;
    try {
      await fn();
    } catch (error) {
      if (error?.name !== 'AbortError' && !signal.aborted) onError?.(error);
    }
    if (!signal.aborted) timer = setTimeout(tick, typeof ms === 'function' ? ms() : ms);
  };
  signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
  return tick();
}

/** "updated 14:09:03" label that a polling view refreshes. */
export function updatedLabel() {
  const el = h('span', { class: 'muted updated', 'data-testid': 'updated-at' });
  return {
    el,
    touch() {
      el.textContent = `updated ${new Date().toLocaleTimeString('en-GB')}`;
    },
  };
}

/** Runs an async action from a button: disables it meanwhile, reports failures in the flash. */
export async function runAction(button, action) {
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  try {
    return await action();
  } catch (error) {
    flash(describeError(error), 'error');
    return undefined;
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
}
