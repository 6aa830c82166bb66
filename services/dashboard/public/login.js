// The login page: paste an API key, or arrive with it in the URL fragment (`/login#key=...`, which
// `npm start` prints once). The fragment never reaches the server; this script takes the key out of
// the address bar before anything else, posts it to /login, and opens the dashboard on success.
// Self-contained (no imports): it is served without a session, the rest of the UI is not.

const form = document.getElementById('login-form');
const input = document.getElementById('login-key');
const message = document.getElementById('login-error');
const button = form.querySelector('button[type="submit"]');

/** Where to go after logging in: the view the user was sent here from (`/login#/jobs/...`), else the queues. */
function destination(hash) {
  return /^#\/[\w\-./?=&%~+]*$/.test(hash) ? `/${hash}` : '/';
}

async function logIn(key, next) {
  message.textContent = '';
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  try {
    const response = await fetch('/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ key }),
      credentials: 'same-origin',
    });
    if (response.ok) {
      location.replace(next);
      return;
    }
    const data = await response.json().catch(() => null);
    message.textContent = typeof data?.error?.message === 'string' ? data.error.message : `Login failed (HTTP ${response.status}).`;
  } catch {
    message.textContent = 'The dashboard server is unreachable.';
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
}

/** `#key=<key>` → the key (percent-decoded; a `+` stays a `+`), else null. */
function keyFromFragment(hash) {
  if (!hash.startsWith('#key=')) return null;
  const raw = hash.slice('#key='.length);
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

const hash = location.hash;
const fragmentKey = keyFromFragment(hash);
const next = fragmentKey === null ? destination(hash) : '/';
if (fragmentKey !== null) {
  // Out of the address bar and the history entry at once, before any request.
  history.replaceState(null, '', location.pathname + location.search);
  void logIn(fragmentKey, next);
} else {
  // Already logged in: straight to the dashboard.
  fetch('/session', { headers: { accept: 'application/json' }, credentials: 'same-origin' }).then(
    (response) => {
      if (response.ok) location.replace(next);
    },
    () => undefined,
  );
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const key = input.value.trim();
  if (key === '') {
    message.textContent = 'Paste an API key.';
    return;
  }
  input.value = '';
  void logIn(key, next);
});
input.focus();
