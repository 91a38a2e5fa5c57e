import type { SavedRecord, WorkflowStore } from '../../store/WorkflowStore.ts';
import type { Logger } from '../../logger.ts';

/** Something whose current state can be written: a live run or a queued workflow. */
export interface Persistable {
  readonly id: string;
  /** The version last written to the store. */
  version: number;
  /** The record to write as `version`. */
  toRecord(version: number): SavedRecord;
  /** Called after a write of this item succeeded. */
  persisted?(): void;
}

const RETRY_MIN_MS = 100;
const RETRY_MAX_MS = 5_000;

/**
 * Writes every changed workflow once per tick: all transitions of one tick
 * become one `saveMany` (one round trip on Redis), whatever the number of
 * XState microsteps. A failed write is retried with capped backoff until the
 * store answers — a change is never dropped, and since only the latest state
 * of each workflow matters, a backlog never grows beyond one record each.
 */
export class Persister {
  private readonly dirty = new Map<string, Persistable>();
  private scheduled = false;
  private inFlight: Promise<void> | null = null;
  private retryMs = 0;
  private timer: NodeJS.Timeout | null = null;
  private waiters: Array<() => void> = [];
  /** Callers of {@link written} per workflow, waiting for the write that takes its state of now. */
  private readonly writeWaiters = new Map<string, Array<() => void>>();
  /** The same, for workflows whose state of now is in the write in flight. */
  private inFlightWaiters = new Map<string, Array<() => void>>();
  /**
   * Versions written without an answer (timeout, dropped connection): the
   * write may have landed. A later conflict on such a workflow is checked
   * against it before being blamed on another writer.
   */
  private readonly unanswered = new Map<string, number>();
  /** Writes made, for benchmarks and tests. */
  writes = 0;
  /** saveMany calls made (round trips on Redis). */
  batches = 0;

  constructor(
    private readonly store: WorkflowStore,
    private readonly logger: Logger,
    /** Called when another writer owns a workflow (version check failed). */
    private readonly onConflict: (id: string) => void = () => {},
  ) {}

  /** Records that `item` changed; it is written at the end of this tick (or the next group commit). */
  mark(item: Persistable): void {
    this.dirty.set(item.id, item);
    if (!this.scheduled && !this.inFlight && !this.timer) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Resolves once everything marked so far has been written. */
  idle(): Promise<void> {
    if (this.dirty.size === 0 && !this.inFlight) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /**
   * Resolves once the state `item` has now is stored (or another writer owns
   * it: the caller checks). At once when none of it waits to be written.
   */
  written(item: Persistable): Promise<void> {
    this.tracking = true;
    const queue = this.dirty.has(item.id) ? this.writeWaiters : this.inFlightIds?.has(item.id) ? this.inFlightWaiters : null;
    if (!queue) return Promise.resolve();
    return new Promise((resolve) => {
      const list = queue.get(item.id);
      if (list) list.push(resolve);
      else queue.set(item.id, [resolve]);
    });
  }

  /** Drops `id`: nothing more of it is written (another process owns it now). */
  forget(id: string): void {
    this.dirty.delete(id);
    this.wake(this.writeWaiters, id);
    this.settle();
  }

  /** Number of workflows waiting to be written. */
  get backlog(): number {
    return this.dirty.size;
  }

  /** Stops retry timers (the store is going away). */
  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Ids in the write in flight, once somebody waits for writes (cluster mode). */
  private inFlightIds: Set<string> | null = null;
  private tracking = false;

  private wake(from: Map<string, Array<() => void>>, id: string): void {
    const list = from.get(id);
    if (!list) return;
    from.delete(id);
    for (const resolve of list) resolve();
  }

  private flush(): void {
    this.scheduled = false;
    if (this.inFlight || this.dirty.size === 0) return this.settle();
    const started = performance.now();
    const batch = [...this.dirty.values()];
    this.dirty.clear();
    if (this.tracking) {
      // Waiters of what this batch takes now wait for it.
      this.inFlightIds = new Set();
      for (const item of batch) {
        this.inFlightIds.add(item.id);
        const list = this.writeWaiters.get(item.id);
        if (list) {
          this.inFlightWaiters.set(item.id, list);
          this.writeWaiters.delete(item.id);
        }
      }
    }
    const records = batch.map((item) => item.toRecord(item.version + 1));
    this.batches++;
    const saving = this.store.saveMany(records);
    // What writing cost this thread: building the records and the store's
    // serialising them, which it does before its first await (see WorkflowStore).
    const writeCpuMs = performance.now() - started;
    this.inFlight = saving
      .then(async ({ conflicts }) => {
        const lost = new Set(conflicts);
        for (const item of batch) {
          if (!lost.has(item.id)) {
            item.version++;
            this.writes++;
            this.unanswered.delete(item.id);
            item.persisted?.();
            this.wake(this.inFlightWaiters, item.id);
          } else {
            const verdict = await this.checkConflict(item);
            if (verdict === 'ours' || verdict === 'unknown') {
              // Ours: write the newer state over it. Unknown (the store went away again): ask later.
              if (!this.dirty.has(item.id)) this.dirty.set(item.id, item);
              if (verdict === 'unknown') this.unanswered.set(item.id, item.version + 1);
            } else {
              this.logger.error('workflow is owned by another writer; this process stops running it', { workflow_id: item.id });
              this.wake(this.inFlightWaiters, item.id);
              this.onConflict(item.id);
            }
          }
        }
        if (this.retryMs > 0) this.logger.info('store answers again; pending writes done');
        this.retryMs = 0;
      })
      .catch((error: unknown) => {
        // Put back what is not newer in `dirty`: the latest state wins.
        for (const item of batch) {
          this.unanswered.set(item.id, item.version + 1);
          if (!this.dirty.has(item.id)) this.dirty.set(item.id, item);
        }
        // Their state of then is back in `dirty`: they wait for the next write.
        for (const [id, list] of this.inFlightWaiters) this.writeWaiters.set(id, [...list, ...(this.writeWaiters.get(id) ?? [])]);
        this.inFlightWaiters.clear();
        if (this.retryMs === 0) this.logger.warn('store write failed; retrying until it answers', { error, backlog: this.dirty.size });
        this.retryMs = Math.min(Math.max(this.retryMs * 2, RETRY_MIN_MS), RETRY_MAX_MS);
        this.flushAfter(this.retryMs);
      })
      .finally(() => {
        this.inFlight = null;
        this.inFlightIds = null;
        // 'ours' conflicts are written again: their waiters wait for that write.
        for (const [id, list] of this.inFlightWaiters) this.writeWaiters.set(id, [...list, ...(this.writeWaiters.get(id) ?? [])]);
        this.inFlightWaiters.clear();
        if (this.dirty.size === 0 || this.timer) return this.settle();
        // Group commit: wait as long as the last write cost this thread before
        // the next, so writing never takes more than about half of its CPU,
        // however large the records (a 1,000-task workflow's status is 200 kB).
        // Not the round trip: on a busy machine that is mostly waiting for a
        // core, and pausing for it made every attempt of a cluster wait twice
        // for its "started" write (issue 9's scale-out: 12.9 ms a wait at 4
        // processes, against a ~5 ms round trip).
        if (writeCpuMs >= 1) return this.flushAfter(writeCpuMs);
        this.scheduled = true;
        setImmediate(() => this.flush());
      });
  }

  /** The next flush, `ms` from now (a retry backoff or a group-commit pause). */
  private flushAfter(ms: number): void {
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush();
    }, ms);
  }

  /**
   * After a conflict: did the store take the write we never heard back about?
   * Then adopt its version ('ours'). 'unknown' when the store cannot say now.
   */
  private async checkConflict(item: Persistable): Promise<'ours' | 'theirs' | 'unknown'> {
    const attempted = this.unanswered.get(item.id);
    if (attempted === undefined) return 'theirs';
    this.unanswered.delete(item.id);
    let stored;
    try {
      stored = await this.store.get(item.id);
    } catch {
      return 'unknown';
    }
    if (stored?.version !== attempted) return 'theirs';
    item.version = attempted;
    return 'ours';
  }

  private settle(): void {
    if (this.dirty.size > 0 || this.inFlight) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}
