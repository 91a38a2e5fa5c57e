import { TaskTimeoutError } from '../../errors.ts';
import type { TaskDefinition } from '../../tasks/defineTask.ts';
import type { AttemptContext } from './AttemptContext.ts';

/**
 * Runs one attempt of a task: races it against its timeout (a task that
 * ignores its signal still ends), and checks that what it returns can be
 * stored as JSON.
 */
export async function runTaskAttempt(definition: TaskDefinition, ctx: AttemptContext, timeoutSeconds: number | undefined): Promise<unknown> {
  // The common case, no timeout: the actor's own signal is the attempt's signal.
  if (timeoutSeconds === undefined) return toJsonValue(await definition.run(ctx));

  const controller = new AbortController();
  const outer = ctx.signal;
  const abort = () => controller.abort(outer.reason);
  if (outer.aborted) abort();
  else outer.addEventListener('abort', abort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new TaskTimeoutError(timeoutSeconds);
      controller.abort(error);
      reject(error);
    }, timeoutSeconds * 1000);
  });
  const started = performance.now();
  try {
    // Racing the timeout ends the attempt even when the task ignores its signal.
    const running = Promise.resolve().then(() => definition.run(ctx.withSignal(controller)));
    const output = await Promise.race([running, timedOut]);
    // A task that blocked the event loop past its timeout settles before the timer can fire.
    if (performance.now() - started > timeoutSeconds * 1000) throw new TaskTimeoutError(timeoutSeconds);
    return toJsonValue(output);
  } finally {
    clearTimeout(timer);
    outer.removeEventListener('abort', abort);
  }
}

/** Outputs are persisted and sent over the wire: only JSON survives. */
function toJsonValue(output: unknown): unknown {
  if (output === undefined) return null;
  let text: string | undefined;
  try {
    text = JSON.stringify(output);
  } catch (error) {
    throw new Error(`task returned a value that cannot be stored as JSON (${(error as Error).message})`);
  }
  if (text === undefined) throw new Error(`task returned a ${typeof output}, which cannot be stored as JSON`);
  return JSON.parse(text);
}
