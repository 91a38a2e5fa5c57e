import { type WorkflowStatus, isTerminal } from '../shared/status.ts';
import { FlowstateClientError, WaitTimeoutError } from './errors.ts';
import type { Unsubscribe, WatchOptions } from './watchWorkflow.ts';

/** Options of `wait`. */
export interface WaitOptions {
  /** Reject with a {@link WaitTimeoutError} (code `TIMEOUT`) after this long. No limit when absent. */
  timeoutMs?: number;
  /** Reject with code `ABORTED` when this fires; the workflow itself is not cancelled. */
  signal?: AbortSignal;
  /** Polling interval, used only if the SSE stream fails (default 500 ms). */
  pollIntervalMs?: number;
}

/** The watch function `wait` builds on. */
export type WatchFn = (id: string, onChange: (status: WorkflowStatus) => void, options: WatchOptions) => Unsubscribe;

/**
 * Resolves with the first terminal status (`succeeded`, `failed` or
 * `cancelled`) of workflow `id`. A failed workflow resolves too: the call
 * worked, the workflow did not. Rejects only when waiting itself fails.
 */
export function waitForWorkflow(watch: WatchFn, id: string, options: WaitOptions = {}): Promise<WorkflowStatus> {
  const { timeoutMs, signal, pollIntervalMs } = options;
  if (timeoutMs !== undefined && !(Number.isFinite(timeoutMs) && timeoutMs >= 0)) {
    return Promise.reject(new FlowstateClientError('BAD_REQUEST', 'timeoutMs must be a finite number >= 0', { issues: [{ path: 'timeoutMs', message: 'must be a finite number >= 0' }] }));
  }
  if (signal?.aborted) return Promise.reject(new FlowstateClientError('ABORTED', 'wait was aborted', { cause: signal.reason }));

  return new Promise<WorkflowStatus>((resolve, reject) => {
    let last: WorkflowStatus | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let unsubscribe: Unsubscribe = () => {};
    const onAbort = () => settle(() => reject(new FlowstateClientError('ABORTED', 'wait was aborted', { cause: signal?.reason })));
    let settled = false;
    function settle(finish: () => void) {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      unsubscribe();
      finish();
    }

    signal?.addEventListener('abort', onAbort, { once: true });
    if (timeoutMs !== undefined) timer = setTimeout(() => settle(() => reject(new WaitTimeoutError(id, timeoutMs, last))), timeoutMs);
    unsubscribe = watch(
      id,
      (status) => {
        last = status;
        if (isTerminal(status.status)) settle(() => resolve(status));
      },
      { pollIntervalMs, onError: (err) => settle(() => reject(err)) },
    );
    // watch may have settled synchronously before `unsubscribe` was assigned.
    if (settled) unsubscribe();
  });
}
