/**
 * Coalesces writes: items added while a flush is running (or in the same event-loop turn) go out
 * together in the next one, one statement for the lot. `add` resolves once its item is written
 * (or rejects with the flush's error), so a caller that awaits it has the same guarantee as a
 * single statement. One flush at a time, so the order of writes is the order of adds.
 */
export class Batcher<T> {
  private pending: Array<{ item: T; resolve(): void; reject(e: unknown): void }> = [];
  private running = false;
  private scheduled = false;

  /**
   * @param maxItems most items per write
   * @param lingerMs wait this long after the first item before writing (0: the next turn), so a
   *   steady stream of small writes becomes fewer, larger ones; a full batch goes at once
   */
  constructor(
    private readonly write: (items: T[]) => Promise<void>,
    private readonly maxItems = 1000,
    private readonly lingerMs = 0,
  ) {}

  add(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      this.schedule();
    });
  }

  private timer: NodeJS.Timeout | undefined;

  private schedule(): void {
    if (this.running || this.pending.length === 0) return;
    if (this.pending.length >= this.maxItems) {
      clearTimeout(this.timer);
      this.scheduled = false;
      void this.flush();
      return;
    }
    if (this.scheduled) return;
    this.scheduled = true;
    const go = () => {
      this.scheduled = false;
      void this.flush();
    };
    if (this.lingerMs > 0) this.timer = setTimeout(go, this.lingerMs);
    else setImmediate(go);
  }

  private async flush(): Promise<void> {
    if (this.running) return;
    this.running = true;
    const batch = this.pending.splice(0, this.maxItems);
    try {
      await this.write(batch.map((b) => b.item));
      for (const b of batch) b.resolve();
    } catch (error) {
      for (const b of batch) b.reject(error);
    } finally {
      this.running = false;
      this.schedule();
    }
  }

  /** Resolves once everything added so far is written (or failed). */
  async drain(): Promise<void> {
    while (this.pending.length > 0 || this.running) await new Promise((r) => setTimeout(r, 1));
  }
}
