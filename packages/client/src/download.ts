import { createWriteStream } from 'node:fs';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Where a download goes: a file path, or a writable stream (left open, e.g. standard output). */
export type DownloadTarget = string | Writable;

/**
 * Streams a response body to a file or a stream, chunk by chunk with backpressure (nothing is held
 * whole in memory). Resolves with the bytes written.
 */
export async function saveBody(response: Response, target: DownloadTarget): Promise<number> {
  if (!response.body) throw new Error('the response has no body');
  let bytes = 0;
  const source = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>);
  source.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
  });
  if (typeof target === 'string') await pipeline(source, createWriteStream(target));
  else await pipeline(source, target, { end: false });
  return bytes;
}
