import { connect } from 'node:net';
const port = Number(process.argv[2]);
const N = Number(process.argv[3] ?? 50000),
  C = 32;
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
const up = JSON.parse(await call('POST', '/v1/qubo/problems?format=json&name=x', JSON.stringify({ n: 3, terms: [[0, 1, 1]] }), 'text/plain'));
await call('POST', '/v1/queues/qubo-solve/pause', '');
const body = JSON.stringify({ kind: 'qubo.solve', payload: { problemId: up.id, params: { timeLimitMs: 1000 } } });
const req = Buffer.from(`POST /v1/jobs HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
let next = 0;
let bad = 0;
const t0 = performance.now();
await Promise.all(
  Array.from(
    { length: C },
    () =>
      new Promise<void>((resolve) => {
        const s = connect(port, '127.0.0.1');
        s.setNoDelay(true);
        let buf = '';
        const go = () => {
          if (next++ >= N) {
            s.destroy();
            resolve();
            return;
          }
          s.write(req);
        };
        s.on('connect', go);
        s.on('data', (d) => {
          buf += d;
          const e = buf.indexOf('\r\n\r\n');
          if (e < 0) return;
          const m = /content-length: (\d+)/i.exec(buf.slice(0, e));
          const len = m ? +m[1] : 0;
          if (buf.length >= e + 4 + len) {
            if (!buf.startsWith('HTTP/1.1 201')) bad++;
            buf = buf.slice(e + 4 + len);
            go();
          }
        });
      }),
  ),
);
console.log('req/s', (N / ((performance.now() - t0) / 1000)).toFixed(0), 'bad', bad);
