import { useEffect, useState } from 'preact/hooks';
import { isTerminal, type WorkflowStatus } from '../../index.ts';
import { useApi } from '../app/ApiContext.ts';
import { errorCode } from '../app/errorCode.ts';

/**
 * Past this many tasks a workflow is followed by polling `get` once a second
 * instead of the `watch` stream: the stream sends the whole status on every
 * change, and a 1,000-task fan-out changes thousands of times in a second or
 * two (hundreds of megabytes to parse); one status a second is all a person sees.
 */
export const STREAM_MAX_TASKS = 200;
const POLL_MS = 1000;

/** The workflow as it is now, or why it cannot be shown. */
export interface WorkflowView {
  status?: WorkflowStatus;
  error?: unknown;
  /** Replaces the status (e.g. with the answer of a cancel) until the next change arrives. */
  setStatus(status: WorkflowStatus): void;
}

function taskCount(w: WorkflowStatus): number {
  return w.steps.reduce((n, s) => n + s.tasks.length, 0);
}

/** Workflow `id`, live until it ends: through the SDK's `watch` (SSE), or polling for very wide ones. */
export function useWorkflow(id: string): WorkflowView {
  const { client, onUnauthorized } = useApi();
  const [status, setStatus] = useState<WorkflowStatus>();
  const [error, setError] = useState<unknown>();

  useEffect(() => {
    let live = true;
    let stop: (() => void) | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const fail = (e: unknown) => {
      if (!live) return;
      if (errorCode(e) === 'UNAUTHORIZED') onUnauthorized();
      setError(e);
    };
    // Renders at most once per frame, however fast statuses arrive.
    let pending: WorkflowStatus | undefined;
    let frame = 0;
    const show = (s: WorkflowStatus) => {
      pending = s;
      if (!frame) {
        frame = requestAnimationFrame(() => {
          frame = 0;
          if (live && pending) setStatus(pending);
        });
      }
    };
    const poll = async () => {
      try {
        const s = await client.get(id);
        if (!live) return;
        show(s);
        setError(undefined);
        if (!isTerminal(s.status)) timer = setTimeout(poll, POLL_MS);
      } catch (e) {
        fail(e);
        if (live && errorCode(e) !== 'NOT_FOUND' && errorCode(e) !== 'UNAUTHORIZED') timer = setTimeout(poll, POLL_MS * 3);
      }
    };
    client.get(id).then((first) => {
      if (!live) return;
      setStatus(first);
      if (isTerminal(first.status)) return;
      if (taskCount(first) > STREAM_MAX_TASKS) timer = setTimeout(poll, POLL_MS);
      else stop = client.watch(id, show, { onError: fail });
    }, fail);
    return () => {
      live = false;
      stop?.();
      clearTimeout(timer);
      cancelAnimationFrame(frame);
    };
  }, [client, id, onUnauthorized]);

  return { status, error, setStatus };
}
