import { open, stat } from 'node:fs/promises';

/** What an upload sends: the file's content, or a file on disk (`fileSource(path)`). */
export type UploadSource = string | Uint8Array | Blob | { stream: () => AsyncIterable<Uint8Array>; size?: number };

/** A file on disk as an upload source, streamed in chunks (never read whole into memory). */
export async function fileSource(path: string): Promise<{ stream: () => AsyncIterable<Uint8Array>; size: number }> {
  const { size } = await stat(path);
  return {
    size,
    async *stream() {
      const handle = await open(path, 'r');
      try {
        yield* handle.createReadStream({ highWaterMark: 1 << 20 }) as AsyncIterable<Uint8Array>;
      } finally {
        await handle.close();
      }
    },
  };
}

/** Upload progress: bytes handed to the connection so far, and the total when known. */
export type UploadProgress = (sent: number, total: number | undefined) => void;

/** The request body of an upload, counting the bytes as fetch pulls them. */
export function uploadBody(source: UploadSource, onProgress?: UploadProgress): { body: NonNullable<RequestInit['body']>; size: number | undefined } {
  if (typeof source === 'string') source = new TextEncoder().encode(source);
  if (source instanceof Uint8Array || source instanceof Blob) {
    const size = source instanceof Blob ? source.size : source.byteLength;
    if (!onProgress) return { body: source as NonNullable<RequestInit['body']>, size };
    const bytes = source;
    return uploadBody({ size, stream: () => chunksOf(bytes) }, onProgress);
  }
  const { size } = source;
  const iterator = source.stream()[Symbol.asyncIterator]();
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await iterator.next();
      if (next.done) {
        controller.close();
        return;
      }
      sent += next.value.byteLength;
      controller.enqueue(next.value);
      onProgress?.(sent, size);
    },
    async cancel() {
      await iterator.return?.();
    },
  });
  return { body: stream, size };
}

async function* chunksOf(source: Uint8Array | Blob): AsyncIterable<Uint8Array> {
  const bytes = source instanceof Blob ? new Uint8Array(await source.arrayBuffer()) : source;
  for (let i = 0; i < bytes.byteLength; i += 1 << 20) yield bytes.subarray(i, Math.min(i + (1 << 20), bytes.byteLength));
}
