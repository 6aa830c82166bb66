/** What trainMamba4Rec reports after each epoch (and keeps in its checkpoints). */
export interface EpochReport {
  epoch: number;
  /** Mean training cross-entropy per target. */
  loss: number;
  valid: Record<string, number>;
  seconds: number;
  trainSeconds: number;
  validSeconds: number;
  /** Training targets seen this epoch. */
  trainTargets: number;
  /** Learning rate of the epoch's last step. */
  lr: number;
}
