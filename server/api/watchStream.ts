import { type WorkflowStatus, isTerminal } from '../../shared/status.ts';
import type { WorkflowEngine } from '../engine/WorkflowEngine.ts';

/** Most statuses a slow watcher may have waiting; past it, intermediate ones are dropped, never the newest. */
const MAX_BUFFERED = 256;

/** One event of a watch stream: `id` is the id of the newest history event the status reflects, as a string. */
export interface WatchEvent {
  id: string;
  status: WorkflowStatus;
}

/**
 * The stream a `watch` subscription sends (the SDK's client/watchWorkflow.ts
 * reads it). Yields the workflow's status now (unless the client already saw
 * it: `lastEventId` is the id of the last event it got), then every change,
 * and returns after the terminal status. Ids are the workflow's history event
 * ids (GET /api/workflow/:id/events), the same whichever process answers, so
 * a client may reconnect anywhere. NOT_FOUND (from the engine) when the id is
 * unknown. Stops when `signal` aborts.
 */
export async function* watchStream(
  engine: Pick<WorkflowEngine, 'subscribe' | 'current'>,
  id: string,
  lastEventId: string | undefined,
  signal: AbortSignal | undefined,
): AsyncGenerator<WatchEvent, void, void> {
  const buffer: Array<{ status: WorkflowStatus; eventId: number }> = [];
  let wake: (() => void) | null = null;
  // Subscribe before reading the current status, so no change falls between the two.
  const unsubscribe = engine.subscribe(id, (status, eventId) => {
    buffer.push({ status, eventId });
    if (buffer.length > MAX_BUFFERED) buffer.splice(0, buffer.length - MAX_BUFFERED);
    wake?.();
  });
  const onAbort = () => wake?.();
  signal?.addEventListener('abort', onAbort);
  try {
    const parsed = Number(lastEventId);
    const seen = lastEventId !== undefined && Number.isInteger(parsed) ? parsed : -1;
    const now = await engine.current(id);
    // The status now, unless it is exactly what the client saw last. (Not only
    // when newer: a client that saw an unstored change of a process that then
    // died must still be brought to what the store holds.)
    let sent = seen;
    if (now.eventId !== seen) {
      sent = now.eventId;
      yield { id: String(now.eventId), status: now.status };
    }
    if (isTerminal(now.status.status)) return;
    while (!signal?.aborted) {
      const next = buffer.shift();
      if (!next) {
        await new Promise<void>((resolve) => (wake = resolve));
        wake = null;
        continue;
      }
      // Listener calls may repeat or trail what was read: send each event id once, in order.
      if (next.eventId > sent) {
        sent = next.eventId;
        yield { id: String(next.eventId), status: next.status };
      }
      if (isTerminal(next.status.status)) return;
    }
  } finally {
    unsubscribe();
    signal?.removeEventListener('abort', onAbort);
  }
}
