import type { WorkflowStatus } from '../../../shared/status.ts';
import type { Logger } from '../../logger.ts';
import type { StatusListener } from '../WorkflowEngine.ts';

/**
 * Who watches which workflow, with the status each workflow's watchers were
 * last told, so one status is told once. A listener that throws is logged
 * and the others are still told.
 */
export class StatusWatchers {
  private readonly byWorkflow = new Map<string, { listeners: Set<StatusListener>; last?: WorkflowStatus }>();

  constructor(private readonly logger: Logger) {}

  /** Adds `listener` for workflow `id`; returns the function that removes it. */
  add(id: string, listener: StatusListener): () => void {
    let watch = this.byWorkflow.get(id);
    if (!watch) this.byWorkflow.set(id, (watch = { listeners: new Set() }));
    watch.listeners.add(listener);
    return () => {
      watch.listeners.delete(listener);
      if (watch.listeners.size === 0 && this.byWorkflow.get(id) === watch) this.byWorkflow.delete(id);
    };
  }

  /** Whether anyone watches `id` (so a status copy is made only for watched workflows). */
  has(id: string): boolean {
    return this.byWorkflow.has(id);
  }

  /** Tells `id`'s watchers of `status` (as of event `eventId`), unless it is the one they were last told. */
  tell(id: string, status: WorkflowStatus, eventId: number): void {
    const watch = this.byWorkflow.get(id);
    if (!watch || watch.last === status) return;
    watch.last = status;
    for (const listener of watch.listeners) {
      try {
        listener(status, eventId);
      } catch (error) {
        this.logger.error('status listener threw', { workflow_id: id, error });
      }
    }
  }
}
