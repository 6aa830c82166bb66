/** The CLI's exit codes: scripts can rely on them (`kiln --help` lists them). */
export const EXIT = {
  /** Done; a job that was waited for completed. */
  ok: 0,
  /** A job that was waited for ended failed or cancelled. */
  jobFailed: 1,
  /** The command line is wrong (unknown command or flag, missing argument). */
  usage: 2,
  /** The API refused the request (a 4xx: bad input, unknown id, conflict). */
  rejected: 3,
  /** The API could not be reached or failed (connection refused, 5xx). */
  unavailable: 4,
  /** Interrupted (Ctrl-C) while following a job; the job itself keeps running. */
  interrupted: 130,
} as const;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}
