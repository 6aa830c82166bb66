import { HandBack } from '@kiln/queue';

/**
 * At most `slots` anneals at once in this process, each with its threads: concurrent jobs overlap
 * their I/O (loading the problem, writing the result) but never share the cores an anneal was
 * given, so a long solve keeps its quality per second. A job that waits longer than `handBackMs`
 * for a slot is handed back to the queue (another worker, or this one later, takes it), and while
 * a long solve holds the slots the process stops taking new jobs (`onBusy`), so it never hoards
 * work that other replicas could start.
 */
export class ComputeSlots {
  private free: number;
  private readonly waiting: Array<() => void> = [];
  private busyTimer: NodeJS.Timeout | undefined;
  private busy = false;

  constructor(
    readonly slots: number,
    private readonly options: { handBackMs: number; busyAfterMs: number; onBusy(busy: boolean): void },
  ) {
    this.free = slots;
  }

  /** A slot, or HandBack after `handBackMs`; aborting the signal rejects with its reason. */
  async acquire(signal: AbortSignal): Promise<() => void> {
    if (this.free === 0) {
      await new Promise<void>((resolve, reject) => {
        const grant = () => {
          clearTimeout(timer);
          signal.removeEventListener('abort', onAbort);
          resolve();
        };
        const drop = (error: unknown) => {
          const k = this.waiting.indexOf(grant);
          if (k >= 0) this.waiting.splice(k, 1);
          clearTimeout(timer);
          signal.removeEventListener('abort', onAbort);
          reject(error);
        };
        const onAbort = () => drop(signal.reason);
        const timer = setTimeout(() => drop(new HandBack('no compute slot free')), this.options.handBackMs);
        signal.addEventListener('abort', onAbort, { once: true });
        this.waiting.push(grant);
      });
    } else this.free--;
    this.armBusy();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
      this.armBusy();
    };
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
