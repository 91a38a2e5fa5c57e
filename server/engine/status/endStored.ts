import type { SavedRecord, WorkflowRecord } from '../../store/WorkflowStore.ts';
import { EventLog } from './EventLog.ts';
import { recordWorkflowEnd } from './LiveStatus.ts';
import { copyStatus } from './statusTransitions.ts';
import { isoNow } from './isoNow.ts';

/**
 * The record that cancels a stored workflow no process runs (queued, or
 * parked in a backoff): its status ended as `cancelled`, with the events of
 * what that swept, written as the next version; and the id of its last event.
 */
export function cancelledRecord(record: WorkflowRecord, processId: string | undefined): { saved: SavedRecord; eventId: number } {
  const status = copyStatus(record.status);
  const events = new EventLog(record.lastEventId ?? 0, processId);
  recordWorkflowEnd(status, events, 'cancelled', isoNow());
  const saved = { id: record.id, status, snapshot: record.snapshot, version: record.version + 1, events: events.pending() };
  return { saved, eventId: events.lastId };
}
