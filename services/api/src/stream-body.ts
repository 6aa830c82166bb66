import type { FastifyInstance } from 'fastify';

/**
 * Upload routes take the file as the raw request body (`curl --data-binary @file`), whatever its
 * content type, as a stream: parsed line by line, never buffered whole by Fastify.
 */
export function streamBodyParser(scope: FastifyInstance): void {
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
}
