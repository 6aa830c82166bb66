/**
 * Errors raised while reading an interaction file. They carry a stable `code` (classify by
 * `code`/`name`, not `instanceof`: errors cross thread and process boundaries) and are fatal
 * (`retryable: false`): the same file fails the same way on every attempt.
 */
export class DatasetParseError extends Error {
  override readonly name: string = 'DatasetParseError';
  readonly code: string = 'KILN_ERR_DATASET_PARSE';
  readonly retryable = false;
  /** 1-based line number (the header counts as line 1); 0 when the problem is the whole file. */
  readonly line: number;
  readonly details: { line: number };

  constructor(message: string, line: number, options?: { cause?: unknown }) {
    super(message, options);
    this.line = line;
    this.details = { line };
  }
}

/** Nothing survived the k-core filter. */
export class DatasetEmptyError extends DatasetParseError {
  override readonly name: string = 'DatasetEmptyError';
  override readonly code: string = 'KILN_ERR_DATASET_EMPTY';

  constructor(message: string) {
    super(message, 0);
  }
}

/**
 * Too few users or interactions to split into training, validation and test
 * ({@link trainableProblem} says which rule failed). Fatal: the same data fails the same way.
 */
export class DatasetTooSmallError extends Error {
  override readonly name: string = 'DatasetTooSmallError';
  readonly code: string = 'KILN_ERR_DATASET_TOO_SMALL';
  readonly retryable = false;
  readonly details: { evaluatedUsers: number; trainingTargets: number; minEvaluatedUsers: number };

  constructor(message: string, details: { evaluatedUsers: number; trainingTargets: number; minEvaluatedUsers: number }) {
    super(message);
    this.details = details;
  }
}
