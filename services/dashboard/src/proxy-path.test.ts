import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { proxyTarget } from './proxy-path.js';

const api = new URL('http://127.0.0.1:8080');
const prefixed = new URL('http://127.0.0.1:8080/kiln/');

describe('proxyTarget', () => {
  it.each([
    ['/api/v1/jobs', 'http://127.0.0.1:8080/v1/jobs'],
    ['/api/v1/jobs?kind=qubo.solve&state=failed&cursor=a%2Fb', 'http://127.0.0.1:8080/v1/jobs?kind=qubo.solve&state=failed&cursor=a%2Fb'],
    ['/api/v1/jobs/j-1_x~y/cancel', 'http://127.0.0.1:8080/v1/jobs/j-1_x~y/cancel'],
    ['/api/v1/queues/qubo-solve/pause', 'http://127.0.0.1:8080/v1/queues/qubo-solve/pause'],
    ['/api/v1/jobs/%C3%A9t%C3%A9', 'http://127.0.0.1:8080/v1/jobs/%C3%A9t%C3%A9'],
    ['/api/v1/jobs?q=a+b&x=', 'http://127.0.0.1:8080/v1/jobs?q=a+b&x='],
    ['/api/healthz', 'http://127.0.0.1:8080/healthz'],
    // Userinfo syntax inside a path is only a path segment: still the API's own origin.
    ['/api/v1/@evil.example', 'http://127.0.0.1:8080/v1/@evil.example'],
    ['/api/v1/a:b@evil.example:6379', 'http://127.0.0.1:8080/v1/a:b@evil.example:6379'],
  ])('forwards %s to %s', (raw, expected) => {
    const target = proxyTarget(raw, api);
    expect(target).toMatchObject({ ok: true });
    if (target.ok) expect(target.url.href).toBe(expected);
  });

  it('keeps a base path', () => {
    const target = proxyTarget('/api/v1/queues', prefixed);
    expect(target.ok && target.url.href).toBe('http://127.0.0.1:8080/kiln/v1/queues');
  });

  it.each([
    // Another host, however spelled.
    '/api//127.0.0.1:6379/',
    '/api//127.0.0.1:18202/x',
    '/api//evil.example/v1/jobs',
    '/api/\\\\evil.example/v1/jobs',
    '/api/\\evil.example/v1',
    '/api/%2f%2fevil.example/v1/jobs',
    '/api/%2F%2Fevil.example',
    '/api/v1/%2f%2fevil.example',
    '/api/%5c%5cevil.example/v1',
    '/api/v1/jobs%5c..%5c..%5cx',
    '/api/v1/jobs/%5C',
    // Climbing out.
    '/api/../v1/jobs',
    '/api/v1/../../x',
    '/api/v1/%2e%2e/%2e%2e/x',
    '/api/v1/%2E%2E',
    '/api/v1/.%2e/x',
    '/api/v1/./jobs',
    '/api/v1/jobs/..',
    // Empty segments and trailing slashes.
    '/api/v1//jobs',
    '/api/v1/jobs/',
    // CR, LF, NUL and other control characters, raw or encoded; spaces; a fragment; bad escapes.
    '/api/v1/jobs%0d%0aHost:%20evil',
    '/api/v1/jobs\r\nHost: evil',
    '/api/v1/jobs%00',
    '/api/v1/jobs%7f',
    '/api/v1/jobs x',
    '/api/v1/jobs#x',
    '/api/v1/jobs%zz',
    '/api/v1/jobs%',
    '/api/v1/jobs%ff',
    '/api/v1/jobs?x=%0d%0a\r\n',
    '/api/v1/jobs?x=a b',
    '/api/v1/jobs?x=#frag',
  ])('refuses %j with a 400', (raw) => {
    const target = proxyTarget(raw, api);
    expect(target.ok, raw).toBe(false);
    if (!target.ok) expect(target.status).toBe(400);
  });

  it.each([
    'http://evil.example/api/v1/jobs',
    'http://127.0.0.1:8081/api/v1/jobs',
    '//evil.example/api/v1/jobs',
    '/api',
    '/api/',
    '/apiv1/jobs',
    '/api/v2/jobs',
    '/api/v1',
    '/api/%76%31/jobs',
    '/api/readyz',
    '/api/metrics',
    '/api/docs/json',
    '/api/healthz/x',
    '/api/http://evil.example/v1',
    '/api/http:%2f%2fevil.example',
  ])('refuses %j (not under /v1 or /healthz)', (raw) => {
    const target = proxyTarget(raw, api);
    expect(target.ok, raw).toBe(false);
  });

  it('keeps every accepted target on the API origin, under /v1 or /healthz (any input)', () => {
    const pieces = fc.constantFrom(
      '/',
      '//',
      '\\',
      '.',
      '..',
      '%2f',
      '%2F',
      '%5c',
      '%2e',
      '%2E',
      '%0d',
      '%0a',
      '%00',
      '?',
      '#',
      '@',
      ':',
      'v1',
      'api',
      'healthz',
      'evil.example',
      '127.0.0.1:6379',
      'http:',
      '%',
      ' ',
      '\r\n',
      'é',
      'jobs',
    );
    const raw = fc.array(pieces, { maxLength: 12 }).map((parts) => `/api/${parts.join('')}`);
    fc.assert(
      fc.property(
        fc.oneof(
          raw,
          fc.string().map((s) => `/api/${s}`),
          fc.string(),
        ),
        fc.constantFrom(api, prefixed),
        (input, base) => {
          const target = proxyTarget(input, base);
          if (!target.ok) return;
          const basePath = base.pathname.replace(/\/+$/, '');
          expect(target.url.origin).toBe(base.origin);
          expect(target.url.username + target.url.password + target.url.hash).toBe('');
          const rest = target.url.pathname.slice(basePath.length);
          expect(target.url.pathname.startsWith(basePath)).toBe(true);
          expect(rest === '/healthz' || /^\/v1\/[^/]/.test(rest)).toBe(true);
          expect(rest.split('/').slice(1)).not.toContain('');
          expect(rest).not.toMatch(/\\|%2f|%5c|\/\.\.?(\/|$)/i);
        },
      ),
      { numRuns: 5000 },
    );
  });
});
