// The dashboard server proxies /api/* to the Kiln API with the session's key; this is the only place that calls it.
import { csrfHeaders, toLogin } from './session.js';

export class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/** `api('/v1/jobs', { method: 'POST', body, signal })` → parsed JSON, or throws ApiError. */
export async function api(path, { method = 'GET', body, signal } = {}) {
  const headers = { accept: 'application/json', ...(method === 'GET' ? {} : csrfHeaders()) };
  const init = { method, headers, signal, credentials: 'same-origin' };
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(`/api${path}`, init);
  } catch (error) {
    if (error?.name === 'AbortError') throw error;
    throw new ApiError(0, null, 'The dashboard server is unreachable');
  }
  if (response.status === 401) {
    // No session (never logged in, logged out elsewhere, idle too long, or the key was revoked).
    toLogin();
  }
  const text = await response.text();
  let data = null;
  if (text !== '') {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!response.ok) {
    const error = data?.error;
    throw new ApiError(
      response.status,
      typeof error?.code === 'string' ? error.code : null,
      typeof error?.message === 'string' ? error.message : text.slice(0, 200) || response.statusText,
      error?.details,
    );
  }
  return data;
}

/** `/v1/jobs/${encoded id}` etc.: ids are path segments, never raw strings. */
export function path(...segments) {
  return segments.map((segment, i) => (i === 0 ? segment : encodeURIComponent(String(segment)))).join('/');
}

/** "KILN_ERR_X: message (HTTP 409)" for display. */
export function describeError(error) {
  if (error instanceof ApiError) {
    const status = error.status > 0 ? ` (HTTP ${error.status})` : '';
    return `${error.code ? `${error.code}: ` : ''}${error.message}${status}`;
  }
  return error instanceof Error ? error.message : String(error);
}
