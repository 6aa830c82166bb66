import { connect } from 'node:net';
const N = Number(process.argv[2] ?? 50000),
  C = 32;
const body = JSON.stringify({ kind: 'qubo.solve', payload: { problemId: '0fd0a5b4-8d43-4c0c-9a4b-2e6c8c9c6d11', params: { timeLimitMs: 1000 } } });
const req = Buffer.from(`POST /v1/jobs HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
let next = 0;
const t0 = performance.now();
await Promise.all(
  Array.from(
    { length: C },
    () =>
      new Promise<void>((resolve) => {
        const s = connect(18090, '127.0.0.1');
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
            buf = buf.slice(e + 4 + len);
            go();
          }
        });
      }),
  ),
);
console.log('req/s', (N / ((performance.now() - t0) / 1000)).toFixed(0));
