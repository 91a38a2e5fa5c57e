import type { WorkflowEvent } from '../../../shared/events.ts';

/**
 * An event before the log numbers it: `id: 0` (first, so the id leads the
 * stored JSON), which the log overwrites in place; `process` is the log's to set.
 */
export type NewEvent = Omit<WorkflowEvent, 'id' | 'process'> & { id: 0 };

/**
 * The events one run adds to its workflow's history, numbered on from the
 * stored history's last id and kept until the store has them. The owner of a
 * workflow is the only writer (the store's version check fences others), so
 * numbering here cannot collide; the store skips ids it has already, which
 * makes a retried write safe.
 */
export class EventLog {
  /** Events not yet acknowledged by the store, oldest first. */
  private unsaved: WorkflowEvent[] = [];

  constructor(
    /** Id of the newest event, stored or not. */
    public lastId: number,
    /** This process's id, stamped on what it ran. */
    private readonly process: string | undefined,
    /** Most events kept unsaved (a store that is away for long loses the oldest, as the capped history would). */
    private readonly max: number = 10_000,
  ) {}

  /**
   * Appends `event`, numbered in place (not copied: nine events per
   * workflow of the seed shape); the log owns it from now on. `ranHere`:
   * stamp this process on it.
   */
  add(event: NewEvent, ranHere: boolean): void {
    const numbered = event as WorkflowEvent;
    numbered.id = ++this.lastId;
    if (ranHere && this.process) numbered.process = this.process;
    this.unsaved.push(numbered);
    if (this.unsaved.length > this.max) this.unsaved.splice(0, this.unsaved.length - this.max);
  }

  /** What the next write carries: every event not acknowledged yet (the array is read, not kept). */
  pending(): WorkflowEvent[] {
    return this.unsaved;
  }

  /** The store has every event up to `id`: forget them. */
  savedUpTo(id: number): void {
    if (this.unsaved.length === 0) return;
    if (this.unsaved[this.unsaved.length - 1].id <= id) this.unsaved = [];
    else this.unsaved = this.unsaved.filter((e) => e.id > id);
  }
}
