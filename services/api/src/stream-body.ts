import type { FastifyInstance } from 'fastify';
import { checkDeclaredLength } from './read-body.js';

/**
 * Upload routes take the file as the raw request body (`curl --data-binary @file`), whatever its
 * content type, as a stream: parsed line by line, never buffered whole by Fastify. A declared
 * Content-Length above the upload limit is refused (413) before any of the body is read.
 */
export function streamBodyParser(scope: FastifyInstance): void {
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
  scope.addHook('onRequest', async (req) => {
    const limit = (scope as unknown as { uploadLimitBytes?: number }).uploadLimitBytes;
    if (limit !== undefined) checkDeclaredLength(req.headers, limit);
  });
}
