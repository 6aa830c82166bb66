/**
 * Open bugs that the fuzzer steps around so `npm test` stays green. Each entry says what is wrong
 * and which constraint it puts on the generators (requests.ts, `constrain`) or the oracle; its
 * reproduction is a case of regressions.test.ts (`KILN_FUZZ_REGRESSIONS=1 npx vitest run
 * tests/fuzz/regressions.test.ts`). Once a bug is fixed and its regression passes, delete its
 * entry here: the constraint goes with it (and tsc points at any use left).
 *
 * `KILN_FUZZ_UNCONSTRAINED=1` lifts every constraint at once (expect failures while bugs are open).
 */
export const KNOWN_BUGS = {
  /** 415 (KILN_ERR_MEDIA_TYPE) is answered but documented for no operation. Constraint: bodies carry a content type their route parses. */
  undocumented415: 'regressions: 415 is documented where it is answered',
  /** 413 is answered by every POST that reads a body but documented only for uploads and job submits. Constraint: no oversized body where 413 is not documented. */
  undocumented413: 'regressions: 413 is documented where it is answered',
  /** The router's own refusals (a path parameter over 100 characters: 414; a bad percent-escape: 400) are not in the error shape, and 414 is neither documented nor a code's status. Constraint: path segments ≤ 100 characters and decodable. */
  routerErrors: 'regressions: router errors are in the error shape',
  /** The NUL-in-URL guard answers 400 on operations that document no 400 (healthz, readyz, metrics, whoAmI and the lists without parameters). Constraint: no NUL in the URL of those. */
  nulGuardUndocumented400: 'regressions: a NUL in the URL of an operation without parameters',
  /** A NUL byte in an uploaded interaction log's user or item id: 500 (Postgres 22021). Constraint: dataset uploads without NUL bytes. */
  nulInDatasetUpload: 'regressions: a NUL byte in an uploaded interaction log',
  /** A lone UTF-16 surrogate escape ("\ud800") in a JSON string that is stored in a jsonb column (job payload, batch idempotencyKey): 500. Constraint: JSON bodies without surrogate escapes. */
  loneSurrogateInJson: 'regressions: a lone surrogate in a job payload',
  /** An upload with an empty body and no content type: 500 (the stream body parser never runs, the route reads `undefined`). Constraint: empty uploads carry a content type. */
  emptyUploadWithoutContentType: 'regressions: an empty upload without a content type',
  /** options.priority = 2097152 passes the schema (max 2^21) but BullMQ allows at most 2097151: 500. Constraint: the sampler's priority stops at 2097151. */
  priorityMax: 'regressions: options.priority at the documented maximum',
  /** A MIS upload (format gset, kind mis) whose penalties break wOff > 2·wDiag (wOff=1, or wDiag=1e308): 500 (misQubo's RangeError). Constraint: such wDiag/wOff pairs are dropped from the query. */
  misPenaltyOrder: 'regressions: MIS penalties out of order',
} as const;

export type KnownBug = keyof typeof KNOWN_BUGS;

const unconstrained = process.env.KILN_FUZZ_UNCONSTRAINED === '1';

/** true while the bug is open (and constraints are on): the generator or oracle must step around it. */
export function avoid(bug: KnownBug): boolean {
  return !unconstrained && bug in KNOWN_BUGS;
}
