import type { Logger } from '../../logger.ts';
import type { TaskRegistry } from '../../tasks/registry.ts';
import { AttemptContext, type SignalSource } from './AttemptContext.ts';
import type { TaskActorInput } from '../machine/index.ts';
import type { Persister } from '../persistence/index.ts';
import { runTaskAttempt } from './runTaskAttempt.ts';
import type { WorkflowRun } from './WorkflowRun.ts';

/** What an attempt needs of the engine. */
export interface AttemptHost {
  readonly runs: Map<string, WorkflowRun>;
  readonly registry: TaskRegistry;
  readonly logger: Logger;
  readonly persister: Persister;
  /**
   * True on a cluster: an attempt is stored as started before it runs, so
   * after a crash `attempts` never shows fewer executions than happened.
   */
  readonly recordAttemptsFirst: boolean;
}

/**
 * The `task` actor's work: one attempt of one task of a run here, with its
 * upstream outputs.
 */
export function runAttempt(host: AttemptHost, input: TaskActorInput, signals: SignalSource): Promise<unknown> {
  const run = host.runs.get(input.workflowId);
  if (!run) return Promise.reject(new Error('workflow is no longer running in this process'));
  // Not counted yet: at a workflow's start XState starts the first step's task
  // actors before it executes the entry actions that count their attempts. A
  // microtask later they have run.
  if (run.live.doc.steps[input.step].tasks[input.task].status === 'pending') return Promise.resolve().then(() => attempt(host, run, input, signals));
  return attempt(host, run, input, signals);
}

function attempt(host: AttemptHost, run: WorkflowRun, input: TaskActorInput, signals: SignalSource): Promise<unknown> {
  const { live } = run;
  const task = live.doc.steps[input.step].tasks[input.task];
  const definition = host.registry.get(task.name);
  if (!definition) return Promise.reject(new Error(`task "${task.name}" is not registered in this process`));
  let params: unknown;
  try {
    params = run.parsedParams(input.step, input.task, definition);
  } catch (error) {
    return Promise.reject(error);
  }
  const timeout = typeof task.params.timeout === 'number' ? task.params.timeout : undefined;
  // `live.outputCount`: the attempt sees what had succeeded when it started.
  const ctx = new AttemptContext(params, task.attempts, run.id, task.id, live, live.outputCount, host.logger, signals);
  if (!host.recordAttemptsFirst) return runTaskAttempt(definition, ctx, timeout);
  // A microtask later: the transition that started this attempt marks the run
  // dirty only after its actions (this spawn among them) have run.
  return Promise.resolve()
    .then(() => host.persister.written(run))
    .then(() => {
      if (host.runs.get(run.id) !== run || signals.signal.aborted) throw new Error('workflow is no longer running in this process');
      return runTaskAttempt(definition, ctx, timeout);
    });
}
