/**
 * The load generator of bench/online.ts, in its own process so that the bench's heap (the model,
 * every user's state) and its garbage collections do not add to the latencies it measures.
 *
 *   tsx bench/online-load.ts <spec.json>   spec: { base, modelId, key, users, items, rate, seconds, clients }
 *
 * Open loop: event i is due at i/rate s and sent then, whatever the answers before it (no
 * coordinated omission). Latency is counted from the send; from the due time too (the difference is
 * this process's timer lag: setTimeout's 1 ms ticks send events in small bursts). Prints one JSON line.
 */
import http from 'node:http';
import { readFileSync } from 'node:fs';

interface Spec {
  /** One base URL per API process: requests go round-robin. */
  bases: string[];
  modelId: string;
  key: string;
  users: string[];
  items: string[];
  rate: number;
  seconds: number;
  clients: number;
  /**
   * 'events' (default): POST …/events; 'healthz': GET /healthz, the API's cheapest route (no key,
   * no rate limit: the floor); 'me': GET /v1/auth/me (the key check and the Redis rate limit, no model).
   */
  target?: 'events' | 'healthz' | 'me';
}
const spec = JSON.parse(readFileSync(process.argv[2] as string, 'utf8')) as Spec;
// `clients` connections in all, shared by the API processes.
const agent = new http.Agent({ keepAlive: true, maxSockets: Math.max(1, Math.round(spec.clients / spec.bases.length)) });
let x = 0x2545f491;
const rnd = () => {
  x ^= x << 13;
  x ^= x >>> 17;
  x ^= x << 5;
  return (x >>> 0) / 2 ** 32;
};
const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)] as T;

let turn = 0;
function post(user: string, item: string): Promise<number> {
  const base = spec.bases[turn++ % spec.bases.length] as string;
  if (spec.target === 'healthz') return get(`${base}/healthz`);
  if (spec.target === 'me') return get(`${base}/v1/auth/me`);
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ items: [item], k: 10 });
    const req = http.request(
      `${base}/v1/models/${spec.modelId}/users/${encodeURIComponent(user)}/events`,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${spec.key}`, 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function get(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { agent, headers: { authorization: `Bearer ${spec.key}` } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

// Warm-up: every connection opened, the model loaded, the JIT warm.
await Promise.all(
  Array.from({ length: spec.clients }, async () => {
    for (let i = 0; i < 40; i++) await post(pick(spec.users), pick(spec.items));
  }),
);

const total = spec.rate * spec.seconds;
const lat = new Float64Array(total); // from the request's dispatch
const late = new Float64Array(total); // from its scheduled time (dispatch lag included)
let errors = 0;
let done = 0;
const t0 = performance.now();
await new Promise<void>((resolve) => {
  let sent = 0;
  const tick = () => {
    const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * spec.rate));
    while (sent < due) {
      const i = sent++;
      const scheduled = t0 + (i / spec.rate) * 1000;
      const dispatched = performance.now();
      post(pick(spec.users), pick(spec.items)).then(
        (status) => {
          if (status !== 200) errors++;
          const now = performance.now();
          lat[i] = now - dispatched;
          late[i] = now - scheduled;
          if (++done === total) resolve();
        },
        () => {
          errors++;
          lat[i] = performance.now() - dispatched;
          late[i] = performance.now() - scheduled;
          if (++done === total) resolve();
        },
      );
    }
    if (sent < total) setTimeout(tick, 1);
  };
  tick();
});
const elapsed = (performance.now() - t0) / 1000;
if (process.env.KILN_BENCH_TRACE) {
  const perSec = new Map<number, number[]>();
  for (let i = 0; i < total; i++) {
    const sec = Math.floor(i / spec.rate);
    const arr = perSec.get(sec) ?? [];
    arr.push(lat[i] as number);
    perSec.set(sec, arr);
  }
  for (const [sec, arr] of perSec) {
    arr.sort((a, b) => a - b);
    console.error(`t=${sec}s p50 ${arr[arr.length >> 1]?.toFixed(2)} p99 ${arr[Math.floor(arr.length * 0.99)]?.toFixed(2)} max ${arr.at(-1)?.toFixed(2)}`);
  }
}
lat.sort();
late.sort();
const q = (p: number, xs = lat) => xs[Math.min(total - 1, Math.floor(p * total))] as number;
agent.destroy();
console.log(
  JSON.stringify({
    sent: total,
    errors,
    perSecond: total / elapsed,
    p50: q(0.5),
    p90: q(0.9),
    p99: q(0.99),
    max: q(1),
    scheduledP50: q(0.5, late),
    scheduledP99: q(0.99, late),
  }),
);
