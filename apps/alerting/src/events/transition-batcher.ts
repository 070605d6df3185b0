/**
 * Groups queued transitions into batches for one-statement application: a batch holds at
 * most one transition per key, and a key's transition waits while an earlier one of the same
 * key is queued or in flight, so each key is applied in arrival order while different keys
 * go in parallel. Batches form only under load; a lone transition goes out at once.
 */
export interface Keyed {
  key: string;
  /** Items of different groups never share a batch. */
  group: string;
}

export class TransitionBatcher<T extends Keyed> {
  private queue: T[] = [];
  private readonly busyKeys = new Set<string>();
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly run: (batch: T[]) => Promise<void>,
    private readonly maxInFlight: number,
    private readonly maxBatch: number,
  ) {}

  get pending(): number {
    return this.queue.length;
  }

  /** Items waiting plus items in a running batch (one per busy key). */
  get backlog(): number {
    return this.queue.length + this.busyKeys.size;
  }

  push(item: T): void {
    this.queue.push(item);
    this.pump();
  }

  idle(): Promise<void> {
    if (this.inFlight === 0 && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Takes the next batch off the queue (exported for tests through `push`/`run`). */
  private take(): T[] {
    const batch: T[] = [];
    const blocked = new Set<string>();
    const rest: T[] = [];
    let group: string | undefined;
    for (const item of this.queue) {
      const free =
        batch.length < this.maxBatch &&
        !blocked.has(item.key) &&
        !this.busyKeys.has(item.key) &&
        (group === undefined || item.group === group);
      if (free) {
        group = item.group;
        batch.push(item);
        this.busyKeys.add(item.key);
        blocked.add(item.key); // a later item of this key waits for this one
      } else {
        blocked.add(item.key);
        rest.push(item);
      }
    }
    this.queue = rest;
    return batch;
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.queue.length > 0) {
      const batch = this.take();
      if (batch.length === 0) break;
      this.inFlight++;
      void this.run(batch)
        .catch(() => undefined)
        .finally(() => {
          for (const item of batch) this.busyKeys.delete(item.key);
          this.inFlight--;
          this.pump();
          if (this.inFlight === 0 && this.queue.length === 0) {
            const waiters = this.idleWaiters;
            this.idleWaiters = [];
            waiters.forEach((w) => w());
          }
        });
    }
  }
}
