import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AttemptContext } from '../../../../server/engine/run/AttemptContext.ts';
import { LiveStatus } from '../../../../server/engine/status/LiveStatus.ts';
import { runTaskAttempt } from '../../../../server/engine/run/runTaskAttempt.ts';
import { initialStatus } from '../../../../server/engine/status/statusTransitions.ts';
import { TaskTimeoutError } from '../../../../server/errors.ts';
import { createLogger } from '../../../../server/logger.ts';
import { abortableSleep } from '../../../../server/tasks/abortableSleep.ts';
import { defineTask, type TaskContext } from '../../../../server/tasks/defineTask.ts';

const live = new LiveStatus(initialStatus('wf', { name: 'w', steps: [{ execution_type: 'sequential', tasks: [{ id: 't', name: 'x' }] }] }, new Date(0).toISOString()));

/** An attempt's context under `controller`'s signal. */
function contextFor(controller = new AbortController()): AttemptContext {
  return new AttemptContext({}, 1, 'wf', 't', live, 0, createLogger('silent'), controller);
}

/** A task whose `run` is `run`. */
const task = (run: (ctx: TaskContext<unknown>) => Promise<unknown>) => defineTask({ name: 'x', description: 'test', params: z.unknown(), run });

describe('runTaskAttempt', () => {
  it('returns the output as JSON would store it: undefined is null, a Date its string', async () => {
    expect(await runTaskAttempt(task(async () => undefined), contextFor(), undefined)).toBeNull();
    expect(await runTaskAttempt(task(async () => ({ at: new Date(0), skip: undefined })), contextFor(), 5)).toEqual({ at: '1970-01-01T00:00:00.000Z' });
  });

  it('fails an attempt whose output cannot be stored as JSON', async () => {
    await expect(runTaskAttempt(task(async () => 10n), contextFor(), undefined)).rejects.toThrow(/cannot be stored as JSON/);
    await expect(runTaskAttempt(task(async () => () => 1), contextFor(), undefined)).rejects.toThrow('task returned a function, which cannot be stored as JSON');
  });

  it('ends an attempt at its timeout even when the task ignores its signal, aborting that signal with the timeout', async () => {
    let seen: AbortSignal | undefined;
    const stubborn = task((ctx) => {
      seen = ctx.signal;
      return new Promise(() => {});
    });
    const error = await runTaskAttempt(stubborn, contextFor(), 0.02).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskTimeoutError);
    expect(seen?.aborted).toBe(true);
    expect(seen?.reason).toBe(error);
  });

  it('passes a cancel of the attempt through to the signal the task sees under a timeout', async () => {
    const controller = new AbortController();
    const attempt = runTaskAttempt(
      task((ctx) => abortableSleep(60_000, ctx.signal)),
      contextFor(controller),
      60,
    );
    controller.abort(new Error('cancelled'));
    await expect(attempt).rejects.toThrow('cancelled');
  });

  it('rejects with what the task threw', async () => {
    await expect(runTaskAttempt(task(async () => Promise.reject(new Error('boom'))), contextFor(), 1)).rejects.toThrow('boom');
  });
});
