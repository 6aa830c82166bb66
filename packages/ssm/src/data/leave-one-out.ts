import { DatasetTooSmallError } from './errors.js';

export interface LeaveOneOutSplit {
  /** Training items: all but the last two (the whole sequence when it has fewer than 3 items). */
  train: Int32Array;
  /** Second-to-last item: the validation target for input `train`; 0 = user not evaluated. */
  validTarget: number;
  /** Last item: the test target for input `train + [validTarget]`; 0 = user not evaluated. */
  testTarget: number;
}

/**
 * Leave-one-out split (RecBole's protocol): last item = test target, second to last = validation
 * target, the rest = training. The validation input is `train`, the test input is `train` followed
 * by the validation item. Users with fewer than 3 items keep their whole sequence for training and
 * are left out of validation and test (`validTarget = testTarget = 0`).
 */
export function leaveOneOut(sequences: readonly Int32Array[]): LeaveOneOutSplit[] {
  return sequences.map((seq) => {
    const n = seq.length;
    if (n < 3) return { train: seq.slice(), validTarget: 0, testTarget: 0 };
    return { train: seq.slice(0, n - 2), validTarget: seq[n - 2] as number, testTarget: seq[n - 1] as number };
  });
}

/** The test input of a split: training items followed by the validation item. */
export function testInput(split: LeaveOneOutSplit): Int32Array {
  const out = new Int32Array(split.train.length + 1);
  out.set(split.train);
  out[split.train.length] = split.validTarget;
  return out;
}

/** Users with a validation and a test target that a dataset needs at least (metrics over one user mean little). */
export const MIN_EVALUATED_USERS = 2;

/** What a dataset has for leave-one-out training: users evaluated (≥ 3 items) and training targets per epoch. */
export function splitCounts(lengths: Iterable<number>): { evaluatedUsers: number; trainingTargets: number } {
  let evaluatedUsers = 0;
  let trainingTargets = 0;
  for (const n of lengths) {
    if (n >= 3) evaluatedUsers++;
    // Training items: all but the last two (the whole sequence below 3 items); each after the first is a target.
    const train = n >= 3 ? n - 2 : n;
    if (train >= 2) trainingTargets += train - 1;
  }
  return { evaluatedUsers, trainingTargets };
}

/**
 * Why sequences of these lengths cannot be trained and evaluated with leave-one-out, or undefined
 * when they can. The rule: at least {@link MIN_EVALUATED_USERS} users with ≥ 3 items (the last is
 * the test target, the one before the validation target), and at least one training target (a
 * user whose training part has ≥ 2 items: ≥ 4 items, or exactly 2, which are all training).
 */
export function trainableProblem(lengths: Iterable<number>): DatasetTooSmallError | undefined {
  const counts = splitCounts(lengths);
  if (counts.evaluatedUsers >= MIN_EVALUATED_USERS && counts.trainingTargets >= 1) return undefined;
  const has = `it has ${counts.evaluatedUsers} user(s) with ≥ 3 interactions and ${counts.trainingTargets} training target(s)`;
  return new DatasetTooSmallError(
    `dataset too small to train: leave-one-out needs at least ${MIN_EVALUATED_USERS} users with ≥ 3 interactions after k-core filtering ` +
      `(each user's last item is the test target, the one before it the validation target, the rest training items) and at least one ` +
      `training target (a user with ≥ 4 interactions, or with exactly 2, which are then all training items); ${has}`,
    { ...counts, minEvaluatedUsers: MIN_EVALUATED_USERS },
  );
}
