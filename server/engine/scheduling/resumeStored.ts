import { isTerminal } from '../../../shared/status.ts';
import type { WorkflowRecord, WorkflowStore } from '../../store/WorkflowStore.ts';
import type { LaunchQueue } from './LaunchQueue.ts';
import type { WorkflowRun } from '../run/index.ts';

/** What resuming needs of the engine. */
export interface ResumeHost {
  readonly store: WorkflowStore;
  readonly runs: Map<string, WorkflowRun>;
  readonly queue: LaunchQueue;
  /** Starts a stored workflow here from its snapshot, interrupted tasks counted as new attempts. */
  launchStored(record: WorkflowRecord): WorkflowRun;
}

/**
 * Runs one stored workflow of the memory store's process again: one never
 * started is queued; a running one restarts at once (it held a slot before),
 * its interrupted tasks counted as new attempts.
 */
export async function resumeStored(host: ResumeHost, id: string): Promise<'running' | 'queued' | 'skipped'> {
  if (host.runs.has(id) || host.queue.get(id)) return 'skipped';
  const record = await host.store.get(id);
  if (!record || isTerminal(record.status.status)) return 'skipped';
  if (record.snapshot === null) {
    host.queue.admit(record);
    return 'queued';
  }
  host.launchStored(record);
  return 'running';
}
