import { AppError } from '@kiln/contracts';
import type { Readable } from 'node:stream';

const tooLarge = (limit: number) => new AppError('KILN_ERR_BODY_TOO_LARGE', `upload is larger than the limit of ${limit} bytes`, { details: { limit } });

/**
 * Yields a request body's chunks, failing with a 413 once more than `limit` bytes arrived. The
 * stream is not destroyed on the way out (that would reset the connection before the client
 * reads the 413): the error handler drains what is left and closes the connection.
 */
export async function* limitedChunks(body: Readable | null | undefined, limit: number): AsyncGenerator<Uint8Array> {
  // No body at all (an empty request without a content type never reaches the stream parser): an empty file.
  if (!body || typeof body.iterator !== 'function') return;
  let seen = 0;
  for await (const chunk of body.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer | string>) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    seen += bytes.byteLength;
    if (seen > limit) throw tooLarge(limit);
    yield bytes;
  }
}

export async function readText(body: Readable | null | undefined, limit: number): Promise<string> {
  const parts: Uint8Array[] = [];
  for await (const chunk of limitedChunks(body, limit)) parts.push(chunk);
  return Buffer.concat(parts).toString('utf8');
}

/** A declared Content-Length above the limit: refused before a byte of the body is read. */
export function checkDeclaredLength(headers: Record<string, string | string[] | undefined>, limit: number): void {
  const declared = Number(headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
}

/**
 * After a 413 (or any error answered before the body was read): read and discard what the client
 * still sends, up to `maxBytes`, so it can read the answer; beyond that, close the connection.
 */
export function drainRequest(raw: Readable & { socket?: { destroy(): void } }, maxBytes = 16 << 20): void {
  if (raw.readableEnded) return;
  let seen = 0;
  raw.on('data', (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > maxBytes) raw.socket?.destroy();
  });
  raw.resume();
}
