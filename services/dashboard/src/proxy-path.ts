/**
 * Which upstream URL a dashboard request may reach. The proxy never resolves what the browser sent
 * against the API's URL (`new URL('//other-host/x', api)` names another host): it checks the path
 * segment by segment and appends the survivors to the API's own origin and base path.
 *
 * Accepted: `/api/v1/<segments>[?query]` and `/api/healthz` (the UI's API pill), where each
 * segment is non-empty, made of RFC 3986 path characters and well-formed percent escapes, and does
 * not decode to `.`, `..`, a slash, a backslash or a control character. Anything else is refused
 * before any socket is opened.
 */
export type ProxyTarget = { ok: true; url: URL } | { ok: false; status: 400 | 404; message: string };

/** RFC 3986 `pchar`: unreserved, sub-delims, ':' and '@', or a percent escape. */
const SEGMENT = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})+$/;
/** RFC 3986 `query`: pchar, '/' and '?'. No '#', no spaces, no raw non-ASCII or control bytes. */
const QUERY = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*$/;
/** What a segment may not decode to: path separators of any flavour and control characters. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
const DECODED_FORBIDDEN = /[/\\\u0000-\u001f\u007f]/;

const MOUNT = '/api';

/**
 * `rawUrl` is the request target exactly as received (`request.raw.url`); `api` the configured API
 * base URL (a path prefix allowed). Returns the upstream URL, always on `api`'s origin and under its
 * base path, or why not.
 */
export function proxyTarget(rawUrl: string, api: URL): ProxyTarget {
  const refuse = (message: string): ProxyTarget => ({ ok: false, status: 400, message });
  // An absolute-form target (`GET http://other/api/...`) or anything not under the mount.
  if (!rawUrl.startsWith(`${MOUNT}/`)) return { ok: false, status: 404, message: 'only /api/v1/… and /api/healthz are proxied' };
  const rest = rawUrl.slice(MOUNT.length);
  const at = rest.indexOf('?');
  const pathPart = at === -1 ? rest : rest.slice(0, at);
  const query = at === -1 ? '' : rest.slice(at + 1);

  const segments = pathPart.slice(1).split('/');
  for (const segment of segments) {
    if (segment === '') return refuse('the path has an empty segment (`//` or a trailing `/`)');
    if (!SEGMENT.test(segment)) return refuse('the path has characters that must be percent-encoded (backslash, space, quote, `%` without two hex digits…)');
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return refuse('the path has a percent escape that is not UTF-8');
    }
    if (decoded === '.' || decoded === '..') return refuse('the path has a `.` or `..` segment');
    if (DECODED_FORBIDDEN.test(decoded)) return refuse('the path has an encoded slash, backslash or control character');
  }
  if (!QUERY.test(query)) return refuse('the query string has characters that must be percent-encoded');

  const path = `/${segments.join('/')}`;
  const allowed = (segments[0] === 'v1' && segments.length >= 2) || path === '/healthz';
  if (!allowed) return { ok: false, status: 404, message: 'only /api/v1/… and /api/healthz are proxied' };

  const basePath = api.pathname.replace(/\/+$/, '');
  const url = new URL(api.origin);
  url.pathname = `${basePath}${path}`;
  url.search = query === '' ? '' : `?${query}`;
  // Belt and braces: whatever the parser made of it must still be the API, under its base path.
  if (url.origin !== api.origin || url.pathname !== `${basePath}${path}` || url.username !== '' || url.password !== '') {
    return refuse('the path does not stay under the API base path');
  }
  return { ok: true, url };
}
