import type { WorkflowDefinition, Priority } from '../../shared/definition.ts';
import type { StepStatus, TaskStatus, WorkflowStatus } from '../../shared/status.ts';

/**
 * Pure functions from one status document to the next. The machine's actions
 * call them; nothing here performs I/O, so transitions stay replayable.
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
        params: task.params ?? {},
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

/** Copies only the path to the changed task; the rest is shared. */
export function withTask(status: WorkflowStatus, s: number, t: number, patch: Partial<TaskStatus>): WorkflowStatus {
  const step = status.steps[s];
  const tasks = step.tasks.slice();
  tasks[t] = { ...tasks[t], ...patch };
  return withStep(status, s, { tasks });
}

/** Copies only the path to the changed step. */
export function withStep(status: WorkflowStatus, s: number, patch: Partial<StepStatus>): WorkflowStatus {
  const steps = status.steps.slice();
  steps[s] = { ...steps[s], ...patch };
  return { ...status, steps };
}

export function workflowStarted(status: WorkflowStatus, now: string): WorkflowStatus {
  return { ...status, status: 'running', started_at: status.started_at ?? now };
}

export function stepStarted(status: WorkflowStatus, s: number): WorkflowStatus {
  return withStep(status, s, { status: 'running' });
}

/** A task as its next attempt starts. */
function attemptStarted(task: TaskStatus, now: string): TaskStatus {
  return { ...task, status: 'running', attempts: task.attempts + 1, started_at: task.started_at ?? now, next_attempt_at: undefined };
}

/** Attempts of several tasks of one step start at once (a parallel step's entry): one copy of the step. */
export function attemptsStarted(status: WorkflowStatus, s: number, indices: number[], now: string): WorkflowStatus {
  const tasks = status.steps[s].tasks.slice();
  for (const t of indices) tasks[t] = attemptStarted(tasks[t], now);
  return withStep(status, s, { tasks });
}

export function taskSucceeded(status: WorkflowStatus, s: number, t: number, output: unknown, now: string): WorkflowStatus {
  return withTask(status, s, t, { status: 'succeeded', output, error: null, finished_at: now });
}

export function taskRetrying(status: WorkflowStatus, s: number, t: number, error: string, nextAttemptAt: string): WorkflowStatus {
  return withTask(status, s, t, { status: 'retrying', error, next_attempt_at: nextAttemptAt });
}

export function taskFailed(status: WorkflowStatus, s: number, t: number, error: string, now: string): WorkflowStatus {
  return withTask(status, s, t, { status: 'failed', error, finished_at: now, next_attempt_at: undefined });
}

/** True when a task will not change again in this run. */
export function isTaskEnded(task: TaskStatus): boolean {
  return task.status === 'succeeded' || task.status === 'failed' || task.status === 'cancelled' || task.status === 'skipped';
}

/** True when a task failed and is not optional: it fails its step. */
export function isBlockingFailure(task: TaskStatus): boolean {
  return task.status === 'failed' && !task.optional;
}

/** Ends a step whose tasks all ended: failed if any blocking failure, else succeeded. */
export function stepFinished(status: WorkflowStatus, s: number): WorkflowStatus {
  const failed = status.steps[s].tasks.some(isBlockingFailure);
  return withStep(status, s, { status: failed ? 'failed' : 'succeeded' });
}

/**
 * Ends the workflow. Whatever had not ended is swept: running and retrying
 * tasks are cancelled (their actors were stopped), pending ones skipped; the
 * step that was running takes the outcome, later steps are skipped.
 */
export function workflowEnded(status: WorkflowStatus, outcome: 'succeeded' | 'failed' | 'cancelled', now: string): WorkflowStatus {
  let error: string | null = null;
  const steps = status.steps.map((step): StepStatus => {
    const tasks = step.tasks.map((task): TaskStatus => {
      if (task.status === 'running' || task.status === 'retrying') {
        return { ...task, status: 'cancelled', finished_at: now, next_attempt_at: undefined };
      }
      if (task.status === 'pending') return { ...task, status: 'skipped' };
      return task;
    });
    const failedTask = tasks.find(isBlockingFailure);
    if (failedTask && error === null) {
      error = `step ${step.index} task "${failedTask.id}" failed after ${failedTask.attempts} attempt(s): ${failedTask.error}`;
    }
    let stepState = step.status;
    if (stepState === 'running') stepState = failedTask ? 'failed' : outcome === 'succeeded' ? 'succeeded' : outcome;
    else if (stepState === 'pending') stepState = 'skipped';
    return { ...step, status: stepState, tasks };
  });
  if (outcome === 'cancelled') error = 'cancelled';
  return { ...status, status: outcome, finished_at: now, error: outcome === 'succeeded' ? null : error, steps };
}

/** Outputs of every task that had succeeded in `status`, by task id. */
export function upstreamOutputs(status: WorkflowStatus): Record<string, unknown> {
  const upstream: Record<string, unknown> = {};
  for (const step of status.steps) for (const t of step.tasks) if (t.status === 'succeeded') upstream[t.id] = t.output;
  return upstream;
}
