import type { PromiseActorLogic } from 'xstate';

/** Input of the `task` actor: where the task is. Everything else is read live from the run. */
export interface TaskActorInput {
  workflowId: string;
  step: number;
  task: number;
}

/** Input of the `delay` actor (a retry's backoff): an absolute deadline, so a restored backoff keeps its end. */
export interface DelayActorInput {
  until: string;
}

/** The two actors a workflow runs for its tasks; the engine provides them. */
export interface WorkflowActors {
  /** One attempt of one task: resolves with its output, rejects with its failure. */
  task: PromiseActorLogic<unknown, TaskActorInput>;
  /** Waits until `until` (a retry's backoff), then resolves. */
  delay: PromiseActorLogic<void, DelayActorInput>;
}

/** Input of a lane: the wide step it hosts tasks of, and its tasks, `first` to `first + count - 1`. */
export interface LaneInput {
  workflowId: string;
  step: number;
  first: number;
  count: number;
}

/** Asks a lane to run an actor for one of its tasks: its next attempt, or a retry's backoff. */
export type HostEvent =
  | { type: 'HOST'; src: 'task'; id: string; input: TaskActorInput }
  | { type: 'HOST'; src: 'delay'; id: string; input: DelayActorInput };

/** What a lane tells the workflow machine; the workflow decides what follows. */
export type LaneEvent =
  /** An attempt of a task in the lane failed: the workflow retries it (HOST a backoff) or records the failure. */
  | { type: 'LANE.TASK_FAILED'; step: number; task: number; error: unknown }
  /** A task's backoff ended: the workflow starts its next attempt (HOST a task). */
  | { type: 'LANE.BACKOFF_ENDED'; step: number; task: number }
  /** A success in the lane left the step with no open task: the workflow re-checks whether the step ended. */
  | { type: 'LANE.SETTLED' };
