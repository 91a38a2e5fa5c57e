import type { WorkflowStatus } from '../../shared/status.ts';
import { withTask } from './statusTransitions.ts';

/**
 * Prepares a stored status for restore. A task that was running when the
 * process died runs again once restored (XState restarts invoked promise
 * actors), but its entry action does not re-run: count that attempt here, so
 * the task sees its true attempt number (at-least-once).
 */
export function statusForResume(status: WorkflowStatus): { status: WorkflowStatus; rerun: string[] } {
  let next = status;
  const rerun: string[] = [];
  status.steps.forEach((step, s) =>
    step.tasks.forEach((task, t) => {
      if (task.status !== 'running') return;
      rerun.push(task.id);
      next = withTask(next, s, t, { attempts: task.attempts + 1 });
    }),
  );
  return { status: next, rerun };
}
