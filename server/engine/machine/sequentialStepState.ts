import { type StepStateConfig, WORKFLOW_FAILED } from './stepStateConfig.ts';
import { delayInput, taskInput, type TaskRef } from './machineSetup.ts';
import { backoffActorId, backoffState, taskActorId, taskState } from './machineNames.ts';

/**
 * A sequential step: its tasks as child states in order (`task1 → task2 →
 * …`), each invoking its task actor; the last one's end leaves the step for
 * `next` (the next step's state, or `succeeded`). A failed attempt with
 * retries left goes through `taskN_backoff`, which invokes the restorable
 * delay actor and comes back to `taskN`; an optional task's failure moves on
 * like a success; any other failure fails the workflow. (No final child
 * state and `onDone`: the last task targets `next` itself, a microstep less
 * per step.)
 */
export function sequentialStepState(step: number, width: number, next: string): StepStateConfig {
  const states: Record<string, StepStateConfig> = {};
  for (let task = 0; task < width; task++) {
    const ref: TaskRef = { step, task };
    const last = task + 1 === width;
    // Within the step by key; out of it (the last task) by id from the root.
    const after = last ? `#workflow.${next}` : taskState(task + 1);
    const moveOn = (record: 'recordSuccess' | 'recordFailure') =>
      last ? [{ type: record, params: ref }, { type: 'finishStep' as const, params: { step } }] : [{ type: record, params: ref }];
    states[taskState(task)] = {
      entry: { type: 'startAttempt', params: ref },
      invoke: {
        id: taskActorId(step, task),
        src: 'task',
        input: ({ context }) => taskInput(context.live, ref),
        onDone: { target: after, actions: moveOn('recordSuccess') },
        onError: [
          { guard: { type: 'mayRetry', params: ref }, target: backoffState(task), actions: { type: 'recordRetry', params: ref } },
          { guard: { type: 'isOptional', params: ref }, target: after, actions: moveOn('recordFailure') },
          { target: WORKFLOW_FAILED, actions: { type: 'recordFailure', params: ref } },
        ],
      },
    };
    states[backoffState(task)] = {
      invoke: { id: backoffActorId(step, task), src: 'delay', input: ({ context }) => delayInput(context.live, ref), onDone: taskState(task) },
    };
  }
  return {
    description: width === 1 ? 'one task' : `${width} tasks one after another`,
    entry: { type: 'startStep', params: { step } },
    initial: taskState(0),
    states,
  };
}
