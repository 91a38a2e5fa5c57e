import type { WorkflowStatus } from '../../../shared/status.ts';
import { abortableSleep } from '../../tasks/abortableSleep.ts';
import type { Persistable, Persister } from '../persistence/index.ts';

/** A workflow that ended here, with its final state. */
export interface Ended extends Persistable {
  readonly status: WorkflowStatus;
  /** The id of the newest event of that state. */
  readonly eventId: number;
}

/** How long a read of a just-ended workflow waits for its final write before answering from memory. */
const SETTLE_WAIT_MS = 500;

/**
 * Workflows that ended in this process but whose final state is not stored
 * yet (a tick, or longer while the store is away). Reads are answered from
 * here meanwhile; `onStored` runs once the store has the final state, so
 * watchers hear of an end only when it is durable.
 */
export class SettlingWorkflows {
  /** Per workflow: the ended item, and the readers waiting for its final write (a list made only when one waits). */
  private readonly items = new Map<string, { item: Ended; waiting: Array<() => void> | null }>();

  constructor(
    private readonly persister: Persister,
    /** The store has `item`'s final state. Takes the item, not its status: a run's status is a copy, made only if needed. */
    private readonly onStored: (id: string, item: Ended) => void,
  ) {}

  /** Writes `item`'s final state and keeps it readable until stored. */
  add(item: Ended): void {
    const entry: { item: Ended; waiting: Array<() => void> | null } = { item, waiting: null };
    // One closure per ended workflow, no promise: most are never waited for.
    const own = item.persisted;
    item.persisted = () => {
      own?.call(item);
      this.items.delete(item.id);
      this.onStored(item.id, item);
      if (entry.waiting) for (const resolve of entry.waiting) resolve();
    };
    this.items.set(item.id, entry);
    this.persister.mark(item);
  }

  /** The final status of `id`, while it is being written. */
  status(id: string): WorkflowStatus | undefined {
    return this.items.get(id)?.item.status;
  }

  /**
   * Waits (briefly) for `id`'s final write, so a reader who sees the end also
   * finds it in the store's lists. Returns at once when `id` is not settling.
   */
  async stored(id: string): Promise<void> {
    const entry = this.items.get(id);
    if (!entry) return;
    const written = new Promise<void>((resolve) => (entry.waiting ??= []).push(resolve));
    await Promise.race([written, abortableSleep(SETTLE_WAIT_MS)]);
  }

  /** Forgets `id` (another writer owns it). */
  delete(id: string): void {
    this.items.delete(id);
  }
}
