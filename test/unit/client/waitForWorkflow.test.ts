import { describe, expect, it } from 'vitest';
import { FlowstateClientError, WaitTimeoutError } from '../../../client/errors.ts';
import { waitForWorkflow, type WatchFn } from '../../../client/waitForWorkflow.ts';
import type { WatchOptions } from '../../../client/watchWorkflow.ts';
import type { WorkflowState, WorkflowStatus } from '../../../shared/status.ts';
import { sampleDefinition, statusFor } from '../../store/fixtures.ts';

const status = (state: WorkflowState): WorkflowStatus => statusFor('wf', sampleDefinition(), state);

/** A watch the test drives: `push` a status, `fail` with an error; `stopped` counts unsubscribes. */
function fakeWatch() {
  const w = {
    onChange: undefined as ((s: WorkflowStatus) => void) | undefined,
    options: undefined as WatchOptions | undefined,
    stopped: 0,
    watch: ((_id, onChange, options) => {
      w.onChange = onChange;
      w.options = options;
      return () => void w.stopped++;
    }) as WatchFn,
  };
  return w;
}

describe('waitForWorkflow', () => {
  it('resolves with the first terminal status, a failed one too, and stops watching', async () => {
    const w = fakeWatch();
    const waiting = waitForWorkflow(w.watch, 'wf');
    w.onChange!(status('running'));
    w.onChange!(status('failed'));
    expect((await waiting).status).toBe('failed');
    expect(w.stopped).toBe(1);
  });

  it('rejects with WaitTimeoutError carrying the last status seen, and leaves the workflow alone', async () => {
    const w = fakeWatch();
    const waiting = waitForWorkflow(w.watch, 'wf', { timeoutMs: 5 });
    w.onChange!(status('running'));
    const error = await waiting.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect((error as WaitTimeoutError).lastStatus?.status).toBe('running');
    expect(w.stopped).toBe(1);
  });

  it('rejects with ABORTED when the signal fires, before or during the wait', async () => {
    const early = new AbortController();
    early.abort();
    await expect(waitForWorkflow(fakeWatch().watch, 'wf', { signal: early.signal })).rejects.toMatchObject({ code: 'ABORTED' });
    const w = fakeWatch();
    const late = new AbortController();
    const waiting = waitForWorkflow(w.watch, 'wf', { signal: late.signal });
    late.abort();
    await expect(waiting).rejects.toMatchObject({ code: 'ABORTED' });
    expect(w.stopped).toBe(1);
  });

  it('rejects with the watch\'s own error, and refuses a timeout that is not a finite number >= 0', async () => {
    const w = fakeWatch();
    const waiting = waitForWorkflow(w.watch, 'wf', { pollIntervalMs: 7 });
    expect(w.options?.pollIntervalMs).toBe(7);
    w.options!.onError!(new FlowstateClientError('NOT_FOUND', 'gone'));
    await expect(waiting).rejects.toMatchObject({ code: 'NOT_FOUND' });
    for (const timeoutMs of [-1, NaN, Infinity]) {
      await expect(waitForWorkflow(fakeWatch().watch, 'wf', { timeoutMs })).rejects.toMatchObject({ code: 'BAD_REQUEST', issues: [{ path: 'timeoutMs' }] });
    }
  });
});
