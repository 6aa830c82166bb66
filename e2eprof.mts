import { connect } from 'node:net';
const port = 18080;
const E = Number(process.argv[2] ?? 20000);
async function call(method: string, path: string, body: string, ct = 'application/json'): Promise<string> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    let buf = '';
    s.on('connect', () =>
      s.write(`${method} ${path} HTTP/1.1\r\nhost: x\r\nconnection: close\r\ncontent-type: ${ct}\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`),
    );
    s.on('data', (d) => (buf += d));
    s.on('end', () => resolve(buf.slice(buf.indexOf('\r\n\r\n') + 4)));
  });
}
const up = JSON.parse(
  await call(
    'POST',
    '/v1/qubo/problems?format=json&name=x',
    JSON.stringify({
      n: 3,
      terms: [
        [0, 1, 1],
        [0, 0, -1],
        [1, 1, -1],
        [2, 2, -1],
      ],
    }),
    'text/plain',
  ),
);
const job = { kind: 'qubo.solve', payload: { problemId: up.id, params: { timeLimitMs: 1000, target: -2 } } };
const t0 = performance.now();
for (let i = 0; i < E; i += 1000) await call('POST', '/v1/jobs/batch', JSON.stringify({ jobs: Array.from({ length: Math.min(1000, E - i) }, () => job) }));
console.log('submitted in', ((performance.now() - t0) / 1000).toFixed(1), 's');
