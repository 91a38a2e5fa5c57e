import type { TaskState, TaskStatus, WorkflowStatus } from '../../shared/status.ts';

/** One task with where it sits in the workflow, as the CLI lists it. */
export interface TaskRow {
  /** `1/2`: 1-based step number over the step count, as a person counts. */
  step: string;
  /** The task id, plus its task name in brackets when the two differ. */
  label: string;
  task: TaskStatus;
}

/** Every task of the workflow in step order. */
export function taskRows(status: WorkflowStatus): TaskRow[] {
  const stepCount = status.steps.length;
  return status.steps.flatMap((step, i) =>
    step.tasks.map((task) => ({
      step: `${i + 1}/${stepCount}`,
      label: task.id === task.name ? task.id : `${task.id} (${task.name})`,
      task,
    })),
  );
}

/** The order states are counted in (the keys' order); a Record, so no state of the vocabulary can be left out. */
const SUMMARY_ORDER = Object.keys({ succeeded: 1, running: 1, retrying: 1, pending: 1, failed: 1, cancelled: 1, skipped: 1 } satisfies Record<TaskState, 1>) as TaskState[];

/** `3 tasks: 1 succeeded, 1 running, 1 pending`, counting by state in a fixed order. */
export function summarizeStates(tasks: readonly TaskStatus[]): string {
  const counts = SUMMARY_ORDER
    .map((state) => [state, tasks.filter((t) => t.status === state).length] as const)
    .filter(([, n]) => n > 0)
    .map(([state, n]) => `${n} ${state}`);
  return `${tasks.length} task${tasks.length === 1 ? '' : 's'}: ${counts.join(', ')}`;
}
