import type { WorkflowStatus } from '../../shared/status.ts';
import * as T from './statusTransitions.ts';

/**
 * The status document of one running workflow, changed in place as events
 * arrive, with the two counters of the running step that the machine's guards
 * read in O(1). It lives outside XState's context on purpose: an `assign` per
 * event made XState copy its snapshot and us copy the path to the changed task,
 * which was most of the garbage per workflow. Readers never see the mutable
 * document: `snapshot()` hands out a copy, made at most once per change.
 */
export class LiveStatus {
  /** The document itself; only the transitions below change it. The store serialises it as it is written. */
  readonly doc: WorkflowStatus;
  /** Tasks of the running step that have not ended. */
  open = 0;
  /** Whether a task of the running step failed and was not optional. */
  blocked = false;
  /** Outputs in the order their tasks succeeded, so an attempt sees exactly those that came before it. */
  private readonly outputs: Array<{ id: string; output: unknown }> = [];
  /** A copy of the document as it is now, made on the first read after a change (a change drops it). */
  private copy: WorkflowStatus | null = null;

  /**
   * Takes `status` over: the caller hands it on and keeps no reference (a
   * fresh start, or a restore; the counters are derived, never stored).
   */
  constructor(status: WorkflowStatus) {
    this.doc = status;
    for (const step of this.doc.steps) for (const task of step.tasks) if (task.status === 'succeeded') this.outputs.push({ id: task.id, output: task.output });
    const running = this.doc.steps.find((st) => st.status === 'running');
    if (running) {
      this.open = running.tasks.filter((t) => !T.isTaskEnded(t)).length;
      this.blocked = running.tasks.some(T.isBlockingFailure);
    }
  }

  /** Every transition calls this first: the copy made for readers is out of date, let it go now. */
  private changed(): void {
    this.copy = null;
  }

  /** The document as it is now, as a copy nobody else changes. */
  snapshot(): WorkflowStatus {
    return (this.copy ??= T.copyStatus(this.doc));
  }

  /** How many outputs exist now: what an attempt starting now may read (see {@link upstream}). */
  get outputCount(): number {
    return this.outputs.length;
  }

  /** The first `count` outputs by task id: everything that had succeeded when an attempt started. */
  upstream(count: number): Record<string, unknown> {
    const upstream: Record<string, unknown> = {};
    for (let i = 0; i < count; i++) upstream[this.outputs[i].id] = this.outputs[i].output;
    return upstream;
  }

  workflowStarted(now: string): void {
    this.changed();
    T.workflowStarted(this.doc, now);
  }

  /** Step `s` starts: all of its tasks are open again. */
  stepStarted(s: number): void {
    this.changed();
    T.stepStarted(this.doc, s);
    this.open = this.doc.steps[s].tasks.length;
    this.blocked = false;
  }

  attemptStarted(s: number, t: number, now: string): void {
    this.changed();
    T.attemptStarted(this.doc, s, t, now);
  }

  taskSucceeded(s: number, t: number, output: unknown, now: string): void {
    this.changed();
    T.taskSucceeded(this.doc, s, t, output, now);
    this.outputs.push({ id: this.doc.steps[s].tasks[t].id, output });
    this.open--;
  }

  taskRetrying(s: number, t: number, error: string, nextAttemptAt: string): void {
    this.changed();
    T.taskRetrying(this.doc, s, t, error, nextAttemptAt);
  }

  taskFailed(s: number, t: number, error: string, now: string): void {
    this.changed();
    T.taskFailed(this.doc, s, t, error, now);
    this.open--;
    if (!this.doc.steps[s].tasks[t].optional) this.blocked = true;
  }

  stepFinished(s: number): void {
    this.changed();
    T.stepFinished(this.doc, s);
  }

  workflowEnded(outcome: 'succeeded' | 'failed' | 'cancelled', now: string): void {
    this.changed();
    T.workflowEnded(this.doc, outcome, now);
  }
}
