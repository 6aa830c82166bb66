import type { components } from './generated/openapi.js';

export type ErrorCode = components['schemas']['Error']['error']['code'];

/** The API answered with an error: `status` is the HTTP status, `code` Kiln's error code (docs/errors.md). */
export class KilnApiError extends Error {
  override readonly name = 'KilnApiError';
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'KILN_CLIENT_UNKNOWN',
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }

  /** The fields a 400 names (`details.issues`), as `field: message` lines. */
  get issues(): string[] {
    const issues = (this.details as { issues?: Array<{ field: string; message: string }> } | undefined)?.issues;
    return Array.isArray(issues) ? issues.map((i) => `${i.field || '(body)'}: ${i.message}`) : [];
  }
}

/** The API could not be reached (connection refused, DNS, reset): nothing was answered. */
export class KilnConnectionError extends Error {
  override readonly name = 'KilnConnectionError';
  constructor(
    readonly url: string,
    options: { cause: unknown },
  ) {
    super(
      `cannot reach the Kiln API at ${url}: ${(options.cause as Error)?.cause instanceof Error ? ((options.cause as Error).cause as Error).message : String((options.cause as Error)?.message ?? options.cause)}`,
      options,
    );
  }
}

/** Turns an error response into a KilnApiError (whatever its body). */
export async function apiErrorOf(response: Response, body?: unknown): Promise<KilnApiError> {
  let parsed = body;
  if (parsed === undefined) {
    const text = await response.text().catch(() => '');
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = { error: { code: 'KILN_CLIENT_UNKNOWN', message: text.slice(0, 500) || response.statusText } };
    }
  }
  const e = (parsed as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
  return new KilnApiError(response.status, (e?.code as ErrorCode) ?? 'KILN_CLIENT_UNKNOWN', e?.message ?? `HTTP ${response.status}`, e?.details);
}
