import type { WorkflowRecord } from '../../store/WorkflowStore.ts';
import { PendingQueue } from './PendingQueue.ts';
import type { Persistable } from '../persistence/index.ts';

/** A workflow waiting for a slot; it is already stored as `pending`. */
export interface QueuedWorkflow extends Persistable {
  record: WorkflowRecord;
  /** Its tasks' params as create parsed them (dropped once used). */
  params?: unknown[][];
}

/** What the queue needs of the engine. */
export interface LaunchHost {
  /** Workflows running now. */
  running(): number;
  /** False once the engine is stopping: nothing more launches. */
  accepting(): boolean;
  launch(record: WorkflowRecord, params?: unknown[][]): void;
}

/**
 * Launching done per turn of the event loop, in ms: a create arriving
 * meanwhile waits at most about this long. A launch runs the first step's
 * entry (its tasks' first attempts): ~35 µs warm on a 2-core machine, 110-140
 * µs in a fresh process, so a time bound fits both where a count does not (64
 * a turn took 2.3-2.7 ms warm and up to 24 ms in a fresh process here).
 */
const LAUNCH_BUDGET_MS = 3;

/**
 * The memory store's scheduling (on Redis, BullMQ's queue does this): stored
 * `pending` workflows wait here by priority, then FIFO, and launch on a later
 * turn of the event loop, at most LAUNCH_BUDGET_MS of launching a turn, while fewer than
 * `maxRunning` run. So create answers once the workflow is stored, and a
 * burst of creates is not held up by the launches of the ones before it.
 */
export class LaunchQueue {
  private readonly queue = new PendingQueue<QueuedWorkflow>();
  private scheduled = false;

  constructor(
    private readonly limits: { maxRunning: number; maxQueued: number },
    private readonly host: LaunchHost,
    /** ms, for the budget (tests pass a clock of their own). */
    private readonly now: () => number = () => performance.now(),
  ) {}

  get size(): number {
    return this.queue.size;
  }

  /** True when no more may wait (create answers 503). */
  get full(): boolean {
    return this.queue.size >= this.limits.maxQueued;
  }

  get(id: string): QueuedWorkflow | undefined {
    return this.queue.get(id);
  }

  /** Takes `id` out of the queue (cancelled before it launched). */
  remove(id: string): QueuedWorkflow | undefined {
    return this.queue.remove(id);
  }

  /** Queues a stored-as-pending workflow; it launches on a later turn. */
  admit(record: WorkflowRecord, params?: unknown[][]): void {
    const queued: QueuedWorkflow = { id: record.id, version: record.version, record, params, toRecord: (v) => ({ ...queued.record, version: v }) };
    this.queue.push(queued, record.status.priority);
    this.schedule();
  }

  /** Launches queued workflows into free slots for at most LAUNCH_BUDGET_MS; the rest on the next turn. */
  drain(): void {
    const started = this.now();
    while (this.host.accepting() && this.host.running() < this.limits.maxRunning) {
      const next = this.queue.shift();
      if (!next) return;
      this.host.launch({ ...next.record, version: next.version }, next.params);
      if (this.now() - started >= LAUNCH_BUDGET_MS) return this.schedule();
    }
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.drain();
    });
  }
}
