import { AppError } from '@kiln/contracts';
import type { Readable } from 'node:stream';

/** Yields a request body's chunks, failing with a 413 once more than `limit` bytes arrived. */
export async function* limitedChunks(body: Readable, limit: number): AsyncGenerator<Uint8Array> {
  let seen = 0;
  for await (const chunk of body as AsyncIterable<Buffer | string>) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    seen += bytes.byteLength;
    if (seen > limit) {
      body.destroy();
      throw new AppError('KILN_ERR_BODY_TOO_LARGE', `upload is larger than the limit of ${limit} bytes`);
    }
    yield bytes;
  }
}

export async function readText(body: Readable, limit: number): Promise<string> {
  const parts: Uint8Array[] = [];
  for await (const chunk of limitedChunks(body, limit)) parts.push(chunk);
  return Buffer.concat(parts).toString('utf8');
}
