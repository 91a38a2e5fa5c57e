import { hasTaskEnded, type WorkflowOutcome, type WorkflowStatus } from '../../../shared/status.ts';
import type { WorkflowEvent } from '../../../shared/events.ts';
import { EventLog, type NewEvent } from './EventLog.ts';
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
  /** Tasks with an attempt running, and tasks waiting out a retry backoff (a workflow with only the latter can be parked). */
  running = 0;
  retrying = 0;
  /** Outputs in the order their tasks succeeded, so an attempt sees exactly those that came before it. */
  private readonly outputs: Array<{ id: string; output: unknown }> = [];
  /** A copy of the document as it is now, made on the first read after a change (a change drops it). */
  private copy: WorkflowStatus | null = null;
  /** The history this run adds to: every transition below appends its events. */
  readonly events: EventLog;

  /**
   * Takes `status` over: the caller hands it on and keeps no reference (a
   * fresh start, or a restore; the counters are derived, never stored).
   * `events` continues the stored history (its last id).
   */
  constructor(status: WorkflowStatus, events: EventLog = new EventLog(0, undefined)) {
    this.doc = status;
    this.events = events;
    for (const step of this.doc.steps) for (const task of step.tasks) if (task.status === 'succeeded') this.outputs.push({ id: task.id, output: task.output });
    const running = this.doc.steps.find((st) => st.status === 'running');
    if (running) {
      this.open = running.tasks.filter((t) => !hasTaskEnded(t.status)).length;
      this.blocked = running.tasks.some(T.isBlockingFailure);
      for (const task of running.tasks) {
        if (task.status === 'running') this.running++;
        else if (task.status === 'retrying') this.retrying++;
      }
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

  /** As JSON (what the XState inspector shows of a workflow's context): the document, not the counters and history. */
  toJSON(): WorkflowStatus {
    return this.doc;
  }

  /** How many outputs exist now: what an attempt starting now may read (see {@link upstream}). */
  get outputCount(): number {
    return this.outputs.length;
  }

  /**
   * When every task that has not ended waits out a retry backoff and none
   * runs: the earliest next attempt (epoch ms). Otherwise null.
   */
  onlyWaitingUntil(): number | null {
    if (this.running > 0 || this.retrying === 0) return null;
    let earliest = Infinity;
    const step = this.doc.steps.find((st) => st.status === 'running');
    for (const task of step?.tasks ?? []) if (task.status === 'retrying' && task.next_attempt_at) earliest = Math.min(earliest, Date.parse(task.next_attempt_at));
    return Number.isFinite(earliest) ? earliest : null;
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
    this.events.add({ id: 0, at: now, type: 'workflow.started' }, true);
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
    if (this.doc.steps[s].tasks[t].status === 'retrying') this.retrying--;
    this.running++;
    T.attemptStarted(this.doc, s, t, now);
    this.taskEvent('task.started', s, t, now);
  }

  /** A task that was running when its process stopped runs again here: its new attempt, already counted (see resumeStatus). */
  attemptRestarted(s: number, t: number, now: string): void {
    this.taskEvent('task.started', s, t, now);
  }

  taskSucceeded(s: number, t: number, output: unknown, now: string): void {
    this.changed();
    this.running--;
    T.taskSucceeded(this.doc, s, t, output, now);
    this.outputs.push({ id: this.doc.steps[s].tasks[t].id, output });
    this.open--;
    this.taskEvent('task.succeeded', s, t, now);
  }

  taskRetrying(s: number, t: number, error: string, nextAttemptAt: string, now: string): void {
    this.changed();
    this.running--;
    this.retrying++;
    T.taskRetrying(this.doc, s, t, error, nextAttemptAt);
    const task = this.doc.steps[s].tasks[t];
    this.events.add({ id: 0, at: now, type: 'task.retrying', step: s, task: task.id, attempt: task.attempts, error, next_attempt_at: nextAttemptAt }, true);
  }

  taskFailed(s: number, t: number, error: string, now: string): void {
    this.changed();
    this.running--;
    T.taskFailed(this.doc, s, t, error, now);
    this.open--;
    if (!this.doc.steps[s].tasks[t].optional) this.blocked = true;
    const task = this.doc.steps[s].tasks[t];
    this.events.add({ id: 0, at: now, type: 'task.failed', step: s, task: task.id, attempt: task.attempts, error }, true);
  }

  private taskEvent(type: 'task.started' | 'task.succeeded', s: number, t: number, now: string): void {
    const task = this.doc.steps[s].tasks[t];
    this.events.add({ id: 0, at: now, type, step: s, task: task.id, attempt: task.attempts }, true);
  }

  stepFinished(s: number): void {
    this.changed();
    T.stepFinished(this.doc, s);
  }

  /** The workflow ended; `error` overrides the error the outcome would give (a workflow that could not be resumed). */
  workflowEnded(outcome: WorkflowOutcome, now: string, error?: string): void {
    this.changed();
    this.running = this.retrying = 0;
    recordWorkflowEnd(this.doc, this.events, outcome, now, error);
  }
}

/**
 * Ends `status` (see statusTransitions.workflowEnded) and appends what it
 * swept to `events`: tasks cancelled or skipped, then the workflow's end. Used
 * by live runs and by a cancel of a workflow no process holds.
 */
export function recordWorkflowEnd(status: WorkflowStatus, events: EventLog, outcome: WorkflowOutcome, now: string, error?: string): void {
  for (const step of status.steps)
    for (const task of step.tasks) {
      const type: WorkflowEvent['type'] | null =
        task.status === 'running' || task.status === 'retrying' ? 'task.cancelled' : task.status === 'pending' ? 'task.skipped' : null;
      if (type) events.add({ id: 0, at: now, type, step: step.index, task: task.id, attempt: task.attempts }, false);
    }
  T.workflowEnded(status, outcome, now, error);
  const ended: NewEvent = { id: 0, at: now, type: `workflow.${outcome}` };
  if (status.error) ended.error = status.error;
  events.add(ended, false);
}
