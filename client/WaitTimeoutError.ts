import type { WorkflowStatus } from '../shared/status.ts';
import { FlowstateClientError } from './FlowstateClientError.ts';

/**
 * `wait` ran out of time before the workflow finished. `code` is `TIMEOUT`;
 * `lastStatus` is the latest status seen (the workflow itself goes on).
 */
export class WaitTimeoutError extends FlowstateClientError {
  readonly workflowId: string;
  readonly timeoutMs: number;
  readonly lastStatus: WorkflowStatus | undefined;

  constructor(workflowId: string, timeoutMs: number, lastStatus: WorkflowStatus | undefined) {
    super('TIMEOUT', `workflow ${workflowId} did not finish within ${timeoutMs} ms (last seen: ${lastStatus?.status ?? 'nothing'})`);
    this.name = 'WaitTimeoutError';
    this.workflowId = workflowId;
    this.timeoutMs = timeoutMs;
    this.lastStatus = lastStatus;
  }
}
