import { compareEventIds, createRedis, eventKeys, type JobEvent, type JobEventLog, parseEntry, type RedisClient } from '@kiln/queue';

type Entry = [string, string[]];
type Subscriber = (event: JobEvent) => void;

/**
 * One blocking reader of the job event log per API process, shared by every open event stream: it
 * follows the log of every job (XREAD BLOCK on its own connection) and hands each new event to the
 * streams that listen. A stream catches up from Redis by itself (XRANGE) and takes the hub's live
 * events after that, dropping ids it already sent: since the hub reads on from a position fixed
 * before any stream's catch-up (`ready()`), no event falls between the two.
 */
export class EventHub {
  private conn: RedisClient | undefined;
  private readonly subscribers = new Set<Subscriber>();
  private lastId: string | undefined;
  private starting: Promise<void> | undefined;
  private closed = false;

  constructor(
    readonly log: JobEventLog,
    private readonly redisUrl: string,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** Resolves once the hub reads from a fixed position (start it on first use). */
  ready(): Promise<void> {
    this.starting ??= this.start();
    return this.starting;
  }

  /** Calls `fn` with every event published from now on until the returned function is called. */
  subscribe(fn: Subscriber): () => void {
    this.subscribers.add(fn);
    return () => this.subscribers.delete(fn);
  }

  get listeners(): number {
    return this.subscribers.size;
  }

  private async start(): Promise<void> {
    const [newest] = await this.log.latest(null, 1);
    this.lastId = newest?.id ?? '0-0';
    this.conn = createRedis(this.redisUrl, 'subscriber');
    this.conn.on('error', () => undefined);
    void this.loop();
  }

  private async loop(): Promise<void> {
    const key = eventKeys.all(this.log.prefix);
    while (!this.closed && this.conn) {
      try {
        const res = (await this.conn.xread('COUNT', 1000, 'BLOCK', 5_000, 'STREAMS', key, this.lastId as string)) as Array<[string, Entry[]]> | null;
        for (const [, entries] of res ?? []) {
          for (const entry of entries) {
            const event = parseEntry(entry);
            if (this.lastId && compareEventIds(event.id, this.lastId) <= 0) continue;
            this.lastId = event.id;
            for (const fn of this.subscribers) {
              try {
                fn(event);
              } catch (err) {
                this.onError(err);
              }
            }
          }
        }
      } catch (err) {
        if (this.closed) return;
        this.onError(err);
        await new Promise((r) => setTimeout(r, 1_000));
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.subscribers.clear();
    this.conn?.disconnect();
  }
}

/** What the event routes share: the hub, every open stream (ended when the API closes), the heartbeat period. */
export interface EventsContext {
  hub: EventHub;
  streams: Set<{ end(): void }>;
  heartbeatMs: number;
}
