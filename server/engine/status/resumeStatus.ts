import type { WorkflowStatus } from '../../../shared/status.ts';
import { copyStatus } from './statusTransitions.ts';

/**
 * Prepares a stored status for restore. A task that was running when the
 * process died runs again once restored (XState restarts invoked promise
 * actors), but its entry action does not re-run: count that attempt here, so
 * the task sees its true attempt number (at-least-once).
 */
export function statusForResume(status: WorkflowStatus): { status: WorkflowStatus; rerun: string[] } {
  const next = copyStatus(status);
  const rerun: string[] = [];
  for (const step of next.steps)
    for (const task of step.tasks) {
      if (task.status !== 'running') continue;
      rerun.push(task.id);
      task.attempts++;
    }
  return { status: next, rerun };
}
