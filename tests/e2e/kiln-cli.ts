import { Writable } from 'node:stream';
import { main } from '@kiln/cli';

/** Runs one `kiln …` command line in this process against `apiUrl`; its exit code and what it printed. */
export async function kiln(apiUrl: string, apiKey: string, args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const sink = (add: (s: string) => void) =>
    new Writable({
      write(chunk, _enc, done) {
        add(String(chunk));
        done();
      },
    });
  const code = await main(args, {
    io: {
      out: sink((s) => {
        out += s;
      }),
      err: sink((s) => {
        err += s;
      }),
    },
    env: { KILN_API_URL: apiUrl, KILN_API_KEY: apiKey },
  });
  return { code, out, err };
}
