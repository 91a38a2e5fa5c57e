import type { TaskContext, TaskDefinition, TaskLogger } from '../tasks/defineTask.ts';
import type { TaskStatus } from '../../shared/status.ts';

/** Raised when an attempt passes its `timeout`. Retryable, like any failure. */
export class TaskTimeoutError extends Error {
  constructor(seconds: number) {
    super(`timed out after ${seconds} s`);
    this.name = 'TaskTimeoutError';
  }
}

/** Everything one attempt needs, gathered by the engine. */
export interface AttemptRequest {
  definition: TaskDefinition;
  task: TaskStatus;
  /** The task's own params, parsed by its schema (defaults applied). */
  params: unknown;
  upstream: Record<string, unknown>;
  workflowId: string;
  logger: TaskLogger;
  /** Aborts when the actor is stopped (cancel, fail_fast, shutdown); made on first call. */
  signal: () => AbortSignal;
}

/**
 * Runs one attempt of a task: races it against its timeout (a task that ignores its signal still ends), and checks that what it
 * returns can be stored as JSON.
 */
export async function runTaskAttempt(req: AttemptRequest): Promise<unknown> {
  const { definition, task } = req;
  const timeoutSeconds = typeof task.params.timeout === 'number' ? task.params.timeout : undefined;
  // The common case, no timeout: the actor's own signal is the attempt's signal.
  if (timeoutSeconds === undefined) return toJsonValue(await definition.run(contextFor(req, req.signal)));

  const controller = new AbortController();
  const outer = req.signal();
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
    const running = Promise.resolve().then(() => definition.run(contextFor(req, () => controller.signal)));
    const output = await Promise.race([running, timedOut]);
    // A task that blocked the event loop past its timeout settles before the timer can fire.
    if (performance.now() - started > timeoutSeconds * 1000) throw new TaskTimeoutError(timeoutSeconds);
    return toJsonValue(output);
  } finally {
    clearTimeout(timer);
    outer.removeEventListener('abort', abort);
  }
}

/** What the task's `run` gets. Getters: upstream outputs, the logger and the signal are made only for tasks that read them. */
function contextFor(req: AttemptRequest, signal: () => AbortSignal): TaskContext<unknown> {
  return {
    params: req.params,
    get upstream() {
      return req.upstream;
    },
    get logger() {
      return req.logger;
    },
    attempt: req.task.attempts,
    get signal() {
      return signal();
    },
    workflowId: req.workflowId,
    taskId: req.task.id,
  };
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
