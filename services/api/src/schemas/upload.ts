import { z } from 'zod';

/**
 * An uploaded file, sent as the raw request body (`curl --data-binary @file`). The route streams
 * it (never buffered whole); this schema only documents it, and the validator lets it through
 * untouched (see app.ts).
 */
export const UploadBody = z.string().meta({ format: 'binary', description: 'The file itself, as the raw request body (any content type).' });

/** The content types the OpenAPI document lists for uploads (any other is accepted too). */
export const uploadContentTypes = ['application/octet-stream', 'text/plain', 'text/csv', 'application/json'];
