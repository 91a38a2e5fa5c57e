import { assign, createMachine, type AnyActorLogic, type AnyEventObject, type AnyStateMachine } from 'xstate';
import type { WorkflowStatus } from '../../shared/status.ts';
import type { WorkflowShape } from './workflowShape.ts';
import * as T from './statusTransitions.ts';
import { retryDelayMs } from './retryDelay.ts';

/** The machine's context: the public status document is the whole state of the data. */
export interface WorkflowContext {
  status: WorkflowStatus;
}

/** Input of the `task` actor: where the task is. Everything else is read live from the run. */
export interface TaskActorInput {
  workflowId: string;
  step: number;
  task: number;
}

/** Input of the `delay` actor: an absolute deadline, so a restored backoff keeps its end. */
export interface DelayActorInput {
  until: string;
}

/** The actors a machine invokes; the engine provides them. */
export interface WorkflowActors {
  task: AnyActorLogic;
  delay: AnyActorLogic;
}

const now = () => new Date().toISOString();

/** What invoke's done / error events carry. */
type ActorEvent = AnyEventObject & { output?: unknown; error?: unknown };

/** An action replacing the status with `next(status, event)`. */
const update = (next: (status: WorkflowStatus, event: ActorEvent) => WorkflowStatus) =>
  assign<WorkflowContext, AnyEventObject, undefined, AnyEventObject, never>(({ context, event }) => ({
    status: next(context.status, event as ActorEvent),
  }));

/** A guard reading the context and the event. */
type Guard = (args: { context: WorkflowContext; event: ActorEvent }) => boolean;

// The state config is generated from data (the shape), which XState's config
// types cannot follow; the generated nodes are checked by the engine tests.
type Node = Record<string, unknown>;

/** Normalises anything a task threw into a short message. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}

function isNonRetryable(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { nonRetryable?: unknown }).nonRetryable === true;
}

/**
 * One task as a compound state: `attempt` invokes the task actor; a failure
 * with retries left goes to `backoff`, which waits with an invoked `delay`
 * actor (an `after` delay is not re-armed when a snapshot is restored).
 * `onFailure` is where a blocking failure goes: the workflow's failed state,
 * or (parallel, not fail_fast) the region's end.
 */
function taskNode(s: number, t: number, onFailure: string): Node {
  const task = (status: WorkflowStatus) => status.steps[s].tasks[t];
  const retriesLeft: Guard = ({ context, event }) => {
    const current = task(context.status);
    return !isNonRetryable(event.error) && current.attempts <= (Number(current.params.retry_count) || 0);
  };
  const failed = update((status, event) => T.taskFailed(status, s, t, errorMessage(event.error), now()));
  return {
    initial: 'attempt',
    states: {
      attempt: {
        entry: update((status) => T.taskAttemptStarted(status, s, t, now())),
        invoke: {
          src: 'task',
          input: ({ context }: { context: WorkflowContext }): TaskActorInput => ({ workflowId: context.status.id, step: s, task: t }),
          onDone: { target: 'done', actions: update((status, event) => T.taskSucceeded(status, s, t, event.output, now())) },
          onError: [
            {
              guard: retriesLeft,
              target: 'backoff',
              actions: update((status, event) => {
                const current = task(status);
                const wait = retryDelayMs(current.params.retry_delay as number | undefined, current.attempts);
                return T.taskRetrying(status, s, t, errorMessage(event.error), new Date(Date.now() + wait).toISOString());
              }),
            },
            { guard: (({ context }) => task(context.status).optional) as Guard, target: 'done', actions: failed },
            { target: onFailure, actions: failed },
          ],
        },
      },
      backoff: {
        invoke: {
          src: 'delay',
          input: ({ context }: { context: WorkflowContext }): DelayActorInput => ({ until: task(context.status).next_attempt_at ?? now() }),
          onDone: 'attempt',
        },
      },
      done: { type: 'final' },
    },
  };
}

function stepNode(shape: WorkflowShape, s: number): Node {
  const step = shape.steps[s];
  const next = s + 1 < shape.steps.length ? `s${s + 1}` : 'done';
  const entry = update((status) => T.stepStarted(status, s));
  const finish = update((status) => T.stepFinished(status, s));
  const states: Record<string, Node> = {};

  if (!step.parallel) {
    for (let t = 0; t < step.tasks; t++) {
      states[`t${t}`] = { ...taskNode(s, t, '#wf.failed'), onDone: t + 1 < step.tasks ? `t${t + 1}` : 'end' };
    }
    states.end = { type: 'final' };
    return { initial: 't0', entry, states, onDone: { target: next, actions: finish } };
  }

  // Without fail_fast a failed task just ends its region; the step fails once all regions end.
  const onFailure = step.failFast ? '#wf.failed' : 'done';
  for (let t = 0; t < step.tasks; t++) states[`t${t}`] = taskNode(s, t, onFailure);
  const anyBlockingFailure: Guard = ({ context }) => context.status.steps[s].tasks.some(T.isBlockingFailure);
  return {
    type: 'parallel',
    entry,
    states,
    onDone: [{ guard: anyBlockingFailure, target: '#wf.failed' }, { target: next, actions: finish }],
  };
}

/**
 * Builds the machine of one workflow shape: steps are nested states (a
 * parallel step is a parallel state with a region per task), tasks are
 * invoked actors. `CANCEL` from anywhere in `run` ends in `cancelled`, which
 * stops every invoked actor (their AbortSignals fire).
 */
export function buildMachine(shape: WorkflowShape, actors: WorkflowActors): AnyStateMachine {
  const steps: Record<string, Node> = {};
  shape.steps.forEach((_, s) => (steps[`s${s}`] = stepNode(shape, s)));
  steps.done = { type: 'final' };

  const ended = (outcome: 'succeeded' | 'failed' | 'cancelled') => update((status) => T.workflowEnded(status, outcome, now()));

  const config = {
    id: 'wf',
    context: ({ input }: { input: WorkflowContext }) => ({ status: input.status }),
    initial: 'run',
    states: {
      run: {
        entry: update((status) => T.workflowStarted(status, now())),
        initial: 's0',
        states: steps,
        on: { CANCEL: '#wf.cancelled' },
        onDone: '#wf.succeeded',
      },
      succeeded: { type: 'final', entry: ended('succeeded') },
      failed: { type: 'final', entry: ended('failed') },
      cancelled: { type: 'final', entry: ended('cancelled') },
    },
  };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- generated config, see Node above
  return createMachine(config as any).provide({ actors: actors as any });
}
