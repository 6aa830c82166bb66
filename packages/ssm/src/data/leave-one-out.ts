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
