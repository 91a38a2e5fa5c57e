import type { z } from 'zod';

/** A task's view of the world for one attempt. */
export interface TaskContext<P> {
  /** The task's own params, parsed by its schema (engine params removed). */
  params: P;
  /** Outputs of every task that finished before this one, by task id. */
  upstream: Readonly<Record<string, unknown>>;
  /** 1 for the first attempt; a restart mid-attempt counts as a new attempt. */
  attempt: number;
  /** Fires on timeout, cancellation or shutdown: stop work and return. */
  signal: AbortSignal;
  /** Logs tagged with the workflow and task. */
  logger: TaskLogger;
  workflowId: string;
  taskId: string;
}

/** The logger a task receives. */
export interface TaskLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/**
 * A registered task: a name, a params schema checked at create time, and its
 * work. `N` keeps the name's literal type, so a definition typed from the
 * registry knows which params each task takes.
 */
export interface TaskDefinition<S extends z.ZodType = z.ZodType, N extends string = string> {
  name: N;
  description: string;
  params: S;
  run(ctx: TaskContext<z.infer<S>>): Promise<unknown>;
}

/**
 * Declares a task. Its `params` schema is strict unless it says otherwise: a
 * `z.object` rejects keys it does not declare (`z.looseObject` takes any).
 * Adding a built-in is this call in its own file plus a line in registry.ts.
 */
export function defineTask<const N extends string, S extends z.ZodType>(task: TaskDefinition<S, N>): TaskDefinition<S, N> {
  return task;
}
