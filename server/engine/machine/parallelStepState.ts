import { type StepStateConfig, WORKFLOW_FAILED } from './stepStateConfig.ts';
import { delayInput, taskInput, type TaskRef } from './machineSetup.ts';
import { backoffActorId, taskActorId, taskState } from './machineNames.ts';

/**
 * The widest parallel step run as one region per task; wider steps are
 * hosted in lanes (laneStepState). Measured with `npx tsx bench/regionWidth.ts`
 * (the engine's machine alone, one workflow of one parallel step at a time,
 * CPU µs per task, median of 9 rounds; 2026-11-30, xstate 5.33.3, Node 20,
 * 2 vCPUs at load 1):
 *
 *   width        1     2     3     4     6     8    16    32    64
 *   regions   33.2  29.6  29.3  30.5  33.5  42.1  70.7   154   353
 *   lanes     51.8  34.5  24.6  19.7  17.1  16.4  15.0  14.6  13.7
 *
 * Regions cost more than lanes from 3 tasks on (1.19×, 1.55× at 4, 10.6× at
 * 32), and grow linearly per task (quadratically per step): XState walks
 * every region of a parallel state on every event and recomputes its
 * configuration, value and children map on every microstep. Lanes keep
 * ~15 µs per task at any width: a task's success in a lane is not an event of
 * the workflow machine at all. A step of one task is neither: its task's
 * state alone costs 24.7 µs (see stepLayout).
 */
export const MAX_PARALLEL_REGIONS = 2;

/**
 * One task of a parallel step as a region: `running` invokes its task actor;
 * a failed attempt with retries left waits in `backoff` (the restorable delay
 * actor) and runs again; the region ends `succeeded` or `failed`. A failure
 * of a non-optional task in a `fail_fast` step fails the workflow at once,
 * which stops every sibling's actor.
 */
function taskRegion(ref: TaskRef): StepStateConfig {
  return {
    initial: 'running',
    states: {
      running: {
        entry: { type: 'startAttempt', params: ref },
        invoke: {
          id: taskActorId(ref.step, ref.task),
          src: 'task',
          input: ({ context }) => taskInput(context.live, ref),
          onDone: { target: 'succeeded', actions: { type: 'recordSuccess', params: ref } },
          onError: [
            { guard: { type: 'mayRetry', params: ref }, target: 'backoff', actions: { type: 'recordRetry', params: ref } },
            { guard: { type: 'failsStepFast', params: ref }, target: WORKFLOW_FAILED, actions: { type: 'recordFailure', params: ref } },
            { target: 'failed', actions: { type: 'recordFailure', params: ref } },
          ],
        },
      },
      backoff: {
        invoke: { id: backoffActorId(ref.step, ref.task), src: 'delay', input: ({ context }) => delayInput(context.live, ref), onDone: 'running' },
      },
      succeeded: { type: 'final' },
      failed: { type: 'final' },
    },
  };
}

/**
 * A parallel step of 2 to MAX_PARALLEL_REGIONS tasks: a parallel state
 * with one region per task, all started on entry. It ends when every region
 * has: failed if a non-optional task failed (the default lets every task
 * finish first), else on to `next`.
 */
export function parallelStepState(step: number, width: number, next: string): StepStateConfig {
  const states: Record<string, StepStateConfig> = {};
  for (let task = 0; task < width; task++) states[taskState(task)] = taskRegion({ step, task });
  return {
    description: width === 1 ? 'one task, in a region of its own' : `${width} tasks side by side, one region each`,
    type: 'parallel',
    entry: { type: 'startStep', params: { step } },
    states,
    onDone: [
      { guard: { type: 'stepBlocked', params: { step } }, target: WORKFLOW_FAILED },
      { target: next, actions: { type: 'finishStep', params: { step } } },
    ],
  };
}
