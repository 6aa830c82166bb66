/**
 * Remembers which referenced rows exist (datasets, models, problems: rows a job refers to by id),
 * so a stream of submits against one problem does not look it up each time. Only hits are kept,
 * each for `ttlMs`; a miss is always asked again. A row deleted within the TTL is caught by the
 * worker, which looks it up again and fails the job with the usual not-found code.
 */
export class ExistsCache {
  private readonly seen = new Map<string, number>();

  constructor(private readonly options: { maxEntries?: number; ttlMs?: number } = {}) {}

  async has(key: string, lookup: () => Promise<unknown>): Promise<boolean> {
    const now = Date.now();
    const at = this.seen.get(key);
    if (at !== undefined && now - at < (this.options.ttlMs ?? 60_000)) return true;
    const found = Boolean(await lookup());
    if (found) {
      this.seen.delete(key);
      this.seen.set(key, now);
      if (this.seen.size > (this.options.maxEntries ?? 10_000)) this.seen.delete(this.seen.keys().next().value as string);
    } else this.seen.delete(key);
    return found;
  }

  /** Drops a row this replica deleted (other replicas keep theirs up to `ttlMs`: the worker catches those). */
  forget(key: string): void {
    this.seen.delete(key);
  }
}
