import type { WorkflowStatus } from '../../shared/status.ts';
import { isTerminal } from '../../shared/status.ts';
import type { WorkflowEngine } from '../engine/WorkflowEngine.ts';

/** Most statuses a slow watcher may have waiting; past it, intermediate ones are dropped, never the newest. */
const MAX_BUFFERED = 256;

const TASK_RANK = { pending: 0, running: 1, retrying: 2, succeeded: 3, failed: 3, cancelled: 3, skipped: 3 } as const;
const WORKFLOW_RANK = { pending: 0, running: 1, succeeded: 2, failed: 2, cancelled: 2 } as const;

/**
 * A number that grows with every transition of a workflow, computed from the
 * status alone: each task counts 4 per attempt plus its state's rank, and the
 * workflow adds its own rank. Because it needs no history, it works as an SSE
 * event id across reconnects, and even across a server restart.
 */
export function statusProgress(status: WorkflowStatus): number {
  let n = WORKFLOW_RANK[status.status];
  for (const step of status.steps) {
    for (const task of step.tasks) n += task.attempts * 4 + TASK_RANK[task.status];
  }
  return n;
}

/** One event of a watch stream: `id` is the status's progress, as a string. */
export interface WatchEvent {
  id: string;
  status: WorkflowStatus;
}

/**
 * Yields the workflow's status now (unless the client already saw it:
 * `lastEventId` is the progress of the last event it got), then every change,
 * and returns after the terminal status. NOT_FOUND (from the engine) when the
 * id is unknown. Stops when `signal` aborts.
 */
export async function* watchWorkflow(
  engine: WorkflowEngine,
  id: string,
  lastEventId: string | undefined,
  signal: AbortSignal | undefined,
): AsyncGenerator<WatchEvent, void, void> {
  const buffer: WorkflowStatus[] = [];
  let wake: (() => void) | null = null;
  // Subscribe before reading the current status, so no change falls between the two.
  const unsubscribe = engine.subscribe(id, (status) => {
    buffer.push(status);
    if (buffer.length > MAX_BUFFERED) buffer.splice(0, buffer.length - MAX_BUFFERED);
    wake?.();
  });
  const onAbort = () => wake?.();
  signal?.addEventListener('abort', onAbort);
  try {
    const parsed = Number(lastEventId);
    let sent = lastEventId !== undefined && Number.isFinite(parsed) ? parsed : -1;
    buffer.unshift(await engine.get(id));
    while (!signal?.aborted) {
      const status = buffer.shift();
      if (!status) {
        await new Promise<void>((resolve) => (wake = resolve));
        wake = null;
        continue;
      }
      const progress = statusProgress(status);
      // The first read may race a listener call with the same status: send each progress once.
      if (progress > sent) {
        sent = progress;
        yield { id: String(progress), status };
      }
      if (isTerminal(status.status)) return;
    }
  } finally {
    unsubscribe();
    signal?.removeEventListener('abort', onAbort);
  }
}
