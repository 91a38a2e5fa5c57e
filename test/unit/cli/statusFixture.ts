import type { TaskState, TaskStatus, WorkflowState, WorkflowStatus } from '../../../shared/status.ts';

/** A task in the shape the server sends, with overridable fields. */
export function task(id: string, status: TaskState, over: Partial<TaskStatus> = {}): TaskStatus {
  return {
    id,
    name: over.name ?? id,
    params: {},
    optional: false,
    status,
    attempts: status === 'pending' || status === 'skipped' ? 0 : 1,
    output: undefined,
    error: null,
    started_at: null,
    finished_at: null,
    ...over,
  };
}

/** A workflow status with the given steps of tasks (each step sequential). */
export function workflow(status: WorkflowState, steps: TaskStatus[][], over: Partial<WorkflowStatus> = {}): WorkflowStatus {
  return {
    id: 'wf-1',
    name: 'demo',
    status,
    priority: 'normal',
    created_at: '2025-01-01T00:00:00.000Z',
    started_at: status === 'pending' ? null : '2025-01-01T00:00:00.000Z',
    finished_at: null,
    error: null,
    steps: steps.map((tasks, index) => ({
      index,
      execution_type: 'sequential',
      fail_fast: false,
      status: tasks.every((t) => t.status === 'pending') ? 'pending' : 'running',
      tasks,
    })),
    ...over,
  };
}

/** `2025-01-01T00:00:SS.mmmZ` from a millisecond offset, for readable fixtures. */
export function at(ms: number): string {
  return new Date(Date.parse('2025-01-01T00:00:00.000Z') + ms).toISOString();
}

/** The fixture clock's epoch, in ms. */
export const T0 = Date.parse('2025-01-01T00:00:00.000Z');
