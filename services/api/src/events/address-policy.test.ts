import { describe, expect, it } from 'vitest';
import { checkWebhookUrl, guardedLookup, refusal } from './address-policy.js';

describe('webhook address policy', () => {
  it('refuses private, link-local and reserved addresses unless allowed; loopback only under loopback', () => {
    for (const ip of ['10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', 'fd00::1', 'fe80::1', '::ffff:10.0.0.1', '::'])
      expect([ip, refusal(ip, 'loopback')]).toEqual([ip, expect.stringContaining('private')]);
    for (const ip of ['8.8.8.8', '2001:4860:4860::8888', '172.32.0.1']) expect(refusal(ip, 'deny')).toBeNull();
    expect(refusal('127.0.0.1', 'loopback')).toBeNull();
    expect(refusal('::1', 'loopback')).toBeNull();
    expect(refusal('127.0.0.1', 'deny')).toContain('loopback');
    expect(refusal('::ffff:127.0.0.1', 'deny')).toContain('loopback');
    expect(refusal('10.0.0.1', 'allow')).toBeNull();
  });

  it('checks registered URLs: http(s), no credentials, no refused literal', () => {
    expect(() => checkWebhookUrl('https://example.com/x', 'deny')).not.toThrow();
    expect(() => checkWebhookUrl('http://localhost:9/x', 'loopback')).not.toThrow();
    expect(() => checkWebhookUrl('http://localhost:9/x', 'deny')).toThrow(/loopback/);
    expect(() => checkWebhookUrl('http://[fe80::1]/x', 'loopback')).toThrow(/private/);
    expect(() => checkWebhookUrl('http://user:pw@example.com/', 'deny')).toThrow(/credentials/);
    expect(() => checkWebhookUrl('gopher://example.com/', 'allow')).toThrow(/http\(s\)/);
  });

  it('refuses a name that resolves to a refused address when connecting', async () => {
    const lookup = guardedLookup('deny');
    const err = await new Promise<NodeJS.ErrnoException | null>((resolve) => lookup('localhost', {}, (e) => resolve(e)));
    expect(err?.code).toBe('KILN_ADDRESS_REFUSED');
    const ok = await new Promise<string | unknown>((resolve) => guardedLookup('loopback')('localhost', {}, (_e, address) => resolve(address)));
    expect(['127.0.0.1', '::1']).toContain(ok);
  });
});
