// The logged-in user: the API key's name and scopes, and the session's CSRF token. The key itself
// stays on the dashboard server; this page only ever sees the session cookie's effects.

let session = null;

/** Sends the browser to the login page, keeping the current view so it opens after login. */
export function toLogin() {
  const hash = location.hash.startsWith('#/') ? location.hash : '';
  location.assign(`/login${hash}`);
}

/** Loads `/session` once at start; without a session, goes to the login page (and never resolves). */
export async function loadSession() {
  const response = await fetch('/session', { headers: { accept: 'application/json' }, credentials: 'same-origin' });
  if (response.status === 401) {
    toLogin();
    return new Promise(() => {});
  }
  if (!response.ok) throw new Error(`could not load the session (HTTP ${response.status})`);
  session = await response.json();
  return session;
}

export function currentSession() {
  return session;
}

/** Does the logged-in key have `scope` ('read', 'submit' or 'admin')? The UI shows only what it may do. */
export function can(scope) {
  return Array.isArray(session?.scopes) && session.scopes.includes(scope);
}

/** 'admin', 'operator' (submit) or 'viewer' (read only). */
export function role() {
  return can('admin') ? 'admin' : can('submit') ? 'operator' : 'viewer';
}

/** The header every state-changing request carries. */
export function csrfHeaders() {
  return session?.csrfToken ? { 'x-csrf-token': session.csrfToken } : {};
}

/** Ends the session on the server, then shows the login page. */
export async function logOut() {
  try {
    await fetch('/logout', { method: 'POST', headers: csrfHeaders(), credentials: 'same-origin' });
  } finally {
    session = null;
    location.assign('/login');
  }
}
