import { sendTo, setup, type DoneActorEvent, type ErrorActorEvent } from 'xstate';
import type { WorkflowOutcome } from '../../../shared/status.ts';
import { isoNow, type LiveStatus } from '../status/index.ts';
import type { DelayActorInput, HostEvent, LaneEvent, TaskActorInput, WorkflowActors } from './machineActors.ts';
import { type LaneMachine, laneOf } from './laneMachine.ts';
import { backoffActorId, laneActorId, taskActorId } from './machineNames.ts';
import { retryDelayMs } from './retryDelay.ts';

/**
 * The machine's context: the run's live status document. XState holds only
 * control state (which step, which task is where); the document changes in
 * place (see LiveStatus), so no event makes XState copy its context.
 */
export interface WorkflowContext {
  live: LiveStatus;
}

/** Everything a workflow machine hears: a cancel, its lanes, and the ends of the actors it invokes. */
export type WorkflowMachineEvent = { type: 'CANCEL' } | LaneEvent | DoneActorEvent | ErrorActorEvent;

/** Where a task is: the params of the task-level guards and actions (0-based indexes). */
export interface TaskRef {
  step: number;
  task: number;
}

/** Where a step is: the params of the step-level guards and actions (0-based). */
export interface StepRef {
  step: number;
}

/** The failure an event carries: an invoked task's error, or one a lane reports. */
function failureOf(event: WorkflowMachineEvent): unknown {
  return 'error' in event ? event.error : undefined;
}

/** Normalises anything a task threw into a short message. */
function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}

/** A task that threw NonRetryableError (or anything flagged so) fails for good. */
function isNonRetryable(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { nonRetryable?: unknown }).nonRetryable === true;
}

/** What a task actor is given: where its task is (it reads the rest from the run). */
export function taskInput(live: LiveStatus, { step, task }: TaskRef): TaskActorInput {
  return { workflowId: live.doc.id, step, task };
}

/** What a backoff actor is given: the deadline its task's retry recorded. */
export function delayInput(live: LiveStatus, { step, task }: TaskRef): DelayActorInput {
  return { until: live.doc.steps[step].tasks[task].next_attempt_at ?? new Date().toISOString() };
}

/**
 * The named actors, guards and actions every workflow machine is made of
 * (see buildWorkflowMachine). Guards and actions take the step and task they
 * are about as params, so a machine's JSON says which task each transition
 * concerns; what they decide on (a task's params, `optional`, the step's
 * `fail_fast`, attempts) is read from the run's status document.
 */
export function createMachineSetup(actors: WorkflowActors & { lane: LaneMachine }) {
  return setup({
    types: { context: {} as WorkflowContext, input: {} as WorkflowContext, events: {} as WorkflowMachineEvent },
    actors: { task: actors.task, delay: actors.delay, lane: actors.lane },
    guards: {
      /** The attempt failed, may be retried (not NonRetryable) and has retries left (`retry_count`). */
      mayRetry: ({ context, event }, { step, task }: TaskRef) => {
        const status = context.live.doc.steps[step].tasks[task];
        return !isNonRetryable(failureOf(event)) && status.attempts <= (Number(status.params.retry_count) || 0);
      },
      /** The task is `optional`: its failure is recorded and its step goes on. */
      isOptional: ({ context }, { step, task }: TaskRef) => context.live.doc.steps[step].tasks[task].optional,
      /** The task's failure fails its step at once: it is not optional and the step is `fail_fast`. */
      failsStepFast: ({ context }, { step, task }: TaskRef) => {
        const status = context.live.doc.steps[step];
        return status.fail_fast && !status.tasks[task].optional;
      },
      /** A task of the step failed and was not optional: the step fails. */
      stepBlocked: ({ context }, _: StepRef) => context.live.blocked,
      /** A wide step fails now: a blocking failure, and `fail_fast` or no task left running. */
      wideStepFailed: ({ context }, { step }: StepRef) => context.live.blocked && (context.live.doc.steps[step].fail_fast || context.live.open === 0),
      /**
       * Every task of a wide step ended. (Checked only once the step runs: at a
       * workflow's start XState executes the entry actions that start it after
       * its first look at eventless transitions.)
       */
      wideStepEnded: ({ context }, { step }: StepRef) => context.live.open === 0 && context.live.doc.steps[step].status === 'running',
    },
    actions: {
      startStep: ({ context }, { step }: StepRef) => context.live.stepStarted(step),
      /** Counts the task's next attempt (recorded before its actor runs: at-least-once). */
      startAttempt: ({ context }, { step, task }: TaskRef) => context.live.attemptStarted(step, task, isoNow()),
      /** A wide step counts the first attempts of all its tasks before its lanes start them. */
      startAllAttempts: ({ context }, { step }: StepRef) => {
        const now = isoNow();
        for (let task = 0; task < context.live.doc.steps[step].tasks.length; task++) context.live.attemptStarted(step, task, now);
      },
      recordSuccess: ({ context, event }, { step, task }: TaskRef) => context.live.taskSucceeded(step, task, 'output' in event ? event.output : undefined, isoNow()),
      /** Records the failure and the retry's deadline (exponential backoff from `retry_delay`). */
      recordRetry: ({ context, event }, { step, task }: TaskRef) => {
        const status = context.live.doc.steps[step].tasks[task];
        const wait = retryDelayMs(status.params.retry_delay as number | undefined, status.attempts);
        context.live.taskRetrying(step, task, errorMessage(failureOf(event)), new Date(Date.now() + wait).toISOString(), isoNow());
      },
      recordFailure: ({ context, event }, { step, task }: TaskRef) => context.live.taskFailed(step, task, errorMessage(failureOf(event)), isoNow()),
      finishStep: ({ context }, { step }: StepRef) => context.live.stepFinished(step),
      endWorkflow: ({ context }, { outcome }: { outcome: WorkflowOutcome }) => context.live.workflowEnded(outcome, isoNow()),
      /** Asks a task's lane to run its next attempt. */
      hostAttempt: sendTo(
        (_, { step, task }: TaskRef) => laneActorId(step, laneOf(task)),
        ({ context }, ref: TaskRef): HostEvent => ({ type: 'HOST', src: 'task', id: taskActorId(ref.step, ref.task), input: taskInput(context.live, ref) }),
      ),
      /** Asks a task's lane to wait out its retry backoff. */
      hostBackoff: sendTo(
        (_, { step, task }: TaskRef) => laneActorId(step, laneOf(task)),
        ({ context }, ref: TaskRef): HostEvent => ({ type: 'HOST', src: 'delay', id: backoffActorId(ref.step, ref.task), input: delayInput(context.live, ref) }),
      ),
    },
  });
}

/** The setup every workflow machine of an engine is built from. */
export type MachineSetup = ReturnType<typeof createMachineSetup>;
