import { describe, expect, it } from 'vitest';
import { loadDashboardEnv } from './env.js';

describe('loadDashboardEnv', () => {
  it('has defaults for everything, sessions in the local Redis under kiln:', () => {
    expect(loadDashboardEnv({})).toEqual({
      port: 8081,
      host: '127.0.0.1',
      apiUrl: 'http://127.0.0.1:8080',
      redisUrl: 'redis://127.0.0.1:6379',
      keyPrefix: 'kiln',
      publicUrl: undefined,
      cookieSecure: false,
      sessionIdleSeconds: 12 * 3600,
      sessionMaxSeconds: 7 * 24 * 3600,
      logLevel: 'info',
    });
  });

  it('reads the shared REDIS_URL and KILN_QUEUE_PREFIX, and derives Secure from an https DASHBOARD_PUBLIC_URL unless told otherwise', () => {
    const env = loadDashboardEnv({
      REDIS_URL: 'redis://redis:6379/2',
      KILN_QUEUE_PREFIX: '{kiln}',
      DASHBOARD_PUBLIC_URL: 'https://kiln.example.com/',
      DASHBOARD_SESSION_IDLE_MINUTES: '30',
      DASHBOARD_SESSION_MAX_HOURS: '8',
    });
    expect(env).toMatchObject({
      redisUrl: 'redis://redis:6379/2',
      keyPrefix: '{kiln}',
      cookieSecure: true,
      sessionIdleSeconds: 1800,
      sessionMaxSeconds: 28_800,
    });
    expect(loadDashboardEnv({ DASHBOARD_PUBLIC_URL: 'https://kiln.example.com', DASHBOARD_COOKIE_SECURE: 'false' }).cookieSecure).toBe(false);
    expect(loadDashboardEnv({ DASHBOARD_COOKIE_SECURE: 'true' }).cookieSecure).toBe(true);
    expect(loadDashboardEnv({ DASHBOARD_COOKIE_SECURE: '', REDIS_URL: '' })).toMatchObject({ cookieSecure: false, redisUrl: 'redis://127.0.0.1:6379' });
  });

  it('names every bad variable', () => {
    expect(() =>
      loadDashboardEnv({ DASHBOARD_COOKIE_SECURE: 'maybe', REDIS_URL: 'nope', DASHBOARD_SESSION_IDLE_MINUTES: '0', DASHBOARD_PUBLIC_URL: 'ftp://x' }),
    ).toThrow(/REDIS_URL[\s\S]*DASHBOARD_PUBLIC_URL[\s\S]*DASHBOARD_COOKIE_SECURE[\s\S]*DASHBOARD_SESSION_IDLE_MINUTES/);
  });
});
