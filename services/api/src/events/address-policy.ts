import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { AppError } from '@kiln/contracts';

/**
 * Which addresses webhooks and callbacks may be sent to (KILN_WEBHOOK_PRIVATE): `deny` only public
 * ones; `loopback` also this machine (127.0.0.0/8, ::1: local development and tests, the default);
 * `allow` every address, private networks included (a deployment whose receivers are internal).
 */
export type PrivateAddressPolicy = 'deny' | 'loopback' | 'allow';

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

// Private, link-local (cloud metadata at 169.254.169.254), carrier-grade NAT, unspecified, unique-local.
const internal = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  internal.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  internal.addSubnet(net, bits, 'ipv6');

/** Why `address` may not be called under `policy`, or null when it may. */
export function refusal(address: string, policy: PrivateAddressPolicy): string | null {
  if (policy === 'allow') return null;
  let ip = address.replace(/^\[|\]$/g, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) ip = mapped[1] as string;
  const family = isIP(ip) === 6 ? 'ipv6' : 'ipv4';
  if (loopback.check(ip, family)) return policy === 'loopback' ? null : `${ip} is a loopback address`;
  if (internal.check(ip, family)) return `${ip} is a private, link-local or reserved address`;
  return null;
}

/** Checks a webhook URL when it is registered: http(s), and no refused address literal (names are checked when resolved). */
export function checkWebhookUrl(url: string, policy: PrivateAddressPolicy): void {
  const u = new URL(url);
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new AppError('KILN_ERR_WEBHOOK_URL', `${u.protocol} URLs are not allowed: http(s) only`);
  if (u.username || u.password) throw new AppError('KILN_ERR_WEBHOOK_URL', 'a webhook URL may not carry credentials');
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const literal = isIP(host) ? host : host === 'localhost' || host.endsWith('.localhost') ? '127.0.0.1' : null;
  const why = literal ? refusal(literal, policy) : null;
  if (why) throw new AppError('KILN_ERR_WEBHOOK_URL', `${url}: ${why} (KILN_WEBHOOK_PRIVATE=${policy})`);
}

/**
 * A `lookup` for http.request that refuses addresses the policy forbids: the check applies to the
 * address actually connected to, so a name that resolves to an internal address (or is re-pointed
 * at one after registration: DNS rebinding) is refused too.
 */
export function guardedLookup(policy: PrivateAddressPolicy) {
  return (
    hostname: string,
    options: { family?: number | string; all?: boolean },
    callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
  ): void => {
    dnsLookup(hostname, { ...(options as object), all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, []);
      const allowed = addresses.filter((a) => refusal(a.address, policy) === null);
      if (allowed.length === 0) {
        const why = addresses[0] ? refusal(addresses[0].address, policy) : 'no address';
        const e = new Error(`refused: ${hostname} resolves to ${why} (KILN_WEBHOOK_PRIVATE=${policy})`) as NodeJS.ErrnoException;
        e.code = 'KILN_ADDRESS_REFUSED';
        return callback(e, []);
      }
      if (options.all) return callback(null, allowed);
      const first = allowed[0] as LookupAddress;
      callback(null, first.address, first.family);
    });
  };
}
