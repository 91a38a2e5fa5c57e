import type { WorkflowDefinition, Priority } from '../../../shared/definition.ts';
import { type StepStatus, type TaskStatus, type WorkflowOutcome, type WorkflowStatus } from '../../../shared/status.ts';

/**
 * The rules of the status document: how it starts and how each event changes
 * it. Nothing here performs I/O, so transitions stay replayable.
 */

const PRIORITY_RANK: Record<Priority, number> = { low: 0, normal: 1, high: 2 };

/** A workflow's queue priority: its own, else its most urgent task's, else normal. */
export function workflowPriority(def: WorkflowDefinition): Priority {
  if (def.priority) return def.priority;
  let best: Priority = 'normal';
  let seen = false;
  for (const step of def.steps)
    for (const task of step.tasks) {
      const p = task.params?.priority;
      if (p && (!seen || PRIORITY_RANK[p] > PRIORITY_RANK[best])) best = p;
      if (p) seen = true;
    }
  return best;
}

/** The params of a task given none: one shared object (params are never changed), not one per task. */
const NO_PARAMS: Record<string, unknown> = Object.freeze({});

/** The status of a workflow just created: everything pending. */
export function initialStatus(id: string, def: WorkflowDefinition, now: string): WorkflowStatus {
  return {
    id,
    name: def.name,
    status: 'pending',
    priority: workflowPriority(def),
    created_at: now,
    started_at: null,
    finished_at: null,
    error: null,
    steps: def.steps.map((step, index) => ({
      index,
      execution_type: step.execution_type,
      fail_fast: step.fail_fast ?? false,
      status: 'pending',
      tasks: step.tasks.map((task) => ({
        id: task.id!,
        name: task.name,
        params: task.params ?? NO_PARAMS,
        optional: task.optional ?? false,
        status: 'pending',
        attempts: 0,
        error: null,
        started_at: null,
        finished_at: null,
      })),
    })),
  };
}

/**
 * A deep copy of the document's own structure (status, steps, tasks); params
 * and outputs are shared, as nothing ever changes them.
 */
export function copyStatus(status: WorkflowStatus): WorkflowStatus {
  const steps = new Array<StepStatus>(status.steps.length);
  for (let s = 0; s < steps.length; s++) {
    const step = status.steps[s];
    const tasks = new Array<TaskStatus>(step.tasks.length);
    for (let t = 0; t < tasks.length; t++) tasks[t] = { ...step.tasks[t] };
    steps[s] = { ...step, tasks };
  }
  return { ...status, steps };
}

// The transitions below change a document in place: the engine owns one
// mutable document per run and hands out copies (see LiveStatus), so a
// change costs O(1) however wide the workflow.

/** A workflow as its run starts (a restart keeps the first start). */
export function workflowStarted(status: WorkflowStatus, now: string): void {
  status.status = 'running';
  status.started_at ??= now;
}

/** A step as its first task starts. */
export function stepStarted(status: WorkflowStatus, s: number): void {
  status.steps[s].status = 'running';
}

/** A task as its next attempt starts. */
export function attemptStarted(status: WorkflowStatus, s: number, t: number, now: string): void {
  const task = status.steps[s].tasks[t];
  task.status = 'running';
  task.attempts++;
  task.started_at ??= now;
  task.next_attempt_at = undefined;
}

/** A task whose attempt succeeded: its output kept, its error cleared. */
export function taskSucceeded(status: WorkflowStatus, s: number, t: number, output: unknown, now: string): void {
  const task = status.steps[s].tasks[t];
  task.status = 'succeeded';
  task.output = output;
  task.error = null;
  task.finished_at = now;
}

/** A task whose attempt failed with retries left: it waits until `nextAttemptAt`. */
export function taskRetrying(status: WorkflowStatus, s: number, t: number, error: string, nextAttemptAt: string): void {
  const task = status.steps[s].tasks[t];
  task.status = 'retrying';
  task.error = error;
  task.next_attempt_at = nextAttemptAt;
}

/** A task that failed for good (no retry left, or a non-retryable error). */
export function taskFailed(status: WorkflowStatus, s: number, t: number, error: string, now: string): void {
  const task = status.steps[s].tasks[t];
  task.status = 'failed';
  task.error = error;
  task.finished_at = now;
  task.next_attempt_at = undefined;
}

/** True when a task failed and is not optional: it fails its step. */
export function isBlockingFailure(task: TaskStatus): boolean {
  return task.status === 'failed' && !task.optional;
}

/** Ends a step whose tasks all ended: failed if any blocking failure, else succeeded. */
export function stepFinished(status: WorkflowStatus, s: number): void {
  const step = status.steps[s];
  step.status = step.tasks.some(isBlockingFailure) ? 'failed' : 'succeeded';
}

/**
 * Ends the workflow. Whatever had not ended is swept: running and retrying
 * tasks are cancelled (their actors were stopped), pending ones skipped; the
 * step that was running takes the outcome, later steps are skipped.
 * `override` replaces the error the outcome gives.
 */
export function workflowEnded(status: WorkflowStatus, outcome: WorkflowOutcome, now: string, override?: string): void {
  let error: string | null = null;
  for (const step of status.steps) {
    let failedTask: TaskStatus | undefined;
    for (const task of step.tasks) {
      if (task.status === 'running' || task.status === 'retrying') {
        task.status = 'cancelled';
        task.finished_at = now;
        task.next_attempt_at = undefined;
      } else if (task.status === 'pending') task.status = 'skipped';
      if (!failedTask && isBlockingFailure(task)) failedTask = task;
    }
    if (failedTask && error === null) {
      // Counted from 1, as the CLI and the dashboard show steps (`step 1/2`); paths (`steps.0`) stay 0-based.
      error = `step ${step.index + 1}/${status.steps.length} task "${failedTask.id}" failed after ${failedTask.attempts} attempt(s): ${failedTask.error}`;
    }
    if (step.status === 'running') step.status = failedTask ? 'failed' : outcome === 'succeeded' ? 'succeeded' : outcome;
    else if (step.status === 'pending') step.status = 'skipped';
  }
  status.status = outcome;
  status.finished_at = now;
  status.error = override ?? (outcome === 'succeeded' ? null : outcome === 'cancelled' ? 'cancelled' : error);
}
