import { HandBack } from '@kiln/queue';

/**
 * The cores this process anneals on, as `slots` units (one per annealing thread): concurrent
 * jobs overlap their I/O (loading the problem, writing the result) but never share the cores an
 * anneal was given, so a long solve keeps its quality per second; small solves take one unit each
 * and run side by side. A job that waits longer than `handBackMs` for its units is handed back to
 * the queue (another worker, or this one later, takes it), and while long solves hold every unit
 * the process stops taking new jobs (`onBusy`), so it never hoards work other replicas could start.
 */
export class ComputeSlots {
  private free: number;
  private readonly waiting: Array<{ units: number; grant: () => void }> = [];
  private busyTimer: NodeJS.Timeout | undefined;
  private busy = false;

  constructor(
    readonly slots: number,
    private readonly options: { handBackMs: number; busyAfterMs: number; onBusy(busy: boolean): void },
  ) {
    this.free = slots;
  }

  /** `units` units (at most `slots`), or HandBack after `handBackMs`; aborting the signal rejects with its reason. */
  async acquire(signal: AbortSignal, units = this.slots): Promise<() => void> {
    const want = Math.min(Math.max(1, units), this.slots);
    if (this.free < want || this.waiting.length > 0) {
      await new Promise<void>((resolve, reject) => {
        const entry = {
          units: want,
          grant: () => {
            clearTimeout(timer);
            signal.removeEventListener('abort', onAbort);
            resolve();
          },
        };
        const drop = (error: unknown) => {
          const k = this.waiting.indexOf(entry);
          if (k >= 0) this.waiting.splice(k, 1);
          clearTimeout(timer);
          signal.removeEventListener('abort', onAbort);
          reject(error);
          this.grantWaiting();
        };
        const onAbort = () => drop(signal.reason);
        const timer = setTimeout(() => drop(new HandBack('no compute slot free')), this.options.handBackMs);
        signal.addEventListener('abort', onAbort, { once: true });
        this.waiting.push(entry);
      });
    } else this.free -= want;
    this.armBusy();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.free += want;
      this.grantWaiting();
      this.armBusy();
    };
  }

  /** Waiting jobs in arrival order, as long as the first one's units are free. */
  private grantWaiting(): void {
    for (let next = this.waiting[0]; next && next.units <= this.free; next = this.waiting[0]) {
      this.waiting.shift();
      this.free -= next.units;
      next.grant();
    }
  }

  /** Busy: every slot held for longer than busyAfterMs (a long solve, not a stream of short ones). */
  private armBusy(): void {
    clearTimeout(this.busyTimer);
    if (this.free > 0) {
      this.setBusy(false);
      return;
    }
    this.busyTimer = setTimeout(() => this.setBusy(true), this.options.busyAfterMs);
    this.busyTimer.unref();
  }

  private setBusy(busy: boolean): void {
    if (busy === this.busy) return;
    this.busy = busy;
    this.options.onBusy(busy);
  }

  close(): void {
    clearTimeout(this.busyTimer);
  }
}
