import { type StepStateConfig, WORKFLOW_FAILED } from './stepStateConfig.ts';
import type { TaskRef } from './machineSetup.ts';
import { LANE_SIZE, laneCount } from './laneMachine.ts';
import { laneActorId } from './machineNames.ts';
import { MAX_PARALLEL_REGIONS } from './parallelStepState.ts';

/** The task a lane's event is about. */
const fromEvent = ({ event }: { event: TaskRef }): TaskRef => ({ step: event.step, task: event.task });

/**
 * A parallel step wider than MAX_PARALLEL_REGIONS: the one place the machine
 * does not give each task a state of its own. The step invokes one lane per
 * LANE_SIZE tasks (laneMachine); the lanes run the tasks' actors and record
 * successes, and tell the step of each failure (retried through a backoff in
 * the lane, or recorded) and of a backoff's end (the next attempt). The step
 * ends when no task is open, or at a blocking failure if it is `fail_fast`.
 */
export function laneStepState(step: number, width: number, next: string): StepStateConfig {
  const lanes = laneCount(width);
  return {
    description: `${width} tasks side by side, hosted in ${lanes} lanes of up to ${LANE_SIZE} (regions stop paying above ${MAX_PARALLEL_REGIONS})`,
    entry: [
      { type: 'startStep', params: { step } },
      { type: 'startAllAttempts', params: { step } },
    ],
    invoke: Array.from({ length: lanes }, (_, lane) => ({
      id: laneActorId(step, lane),
      src: 'lane' as const,
      input: ({ context }: { context: { live: { doc: { id: string } } } }) => ({
        workflowId: context.live.doc.id,
        step,
        first: lane * LANE_SIZE,
        count: Math.min(LANE_SIZE, width - lane * LANE_SIZE),
      }),
    })),
    on: {
      'LANE.TASK_FAILED': [
        {
          guard: { type: 'mayRetry', params: fromEvent },
          actions: [
            { type: 'recordRetry', params: fromEvent },
            { type: 'hostBackoff', params: fromEvent },
          ],
        },
        { actions: { type: 'recordFailure', params: fromEvent } },
      ],
      'LANE.BACKOFF_ENDED': {
        actions: [
          { type: 'startAttempt', params: fromEvent },
          { type: 'hostAttempt', params: fromEvent },
        ],
      },
      // A lane's success left no open task: nothing to do but let the guards below look.
      'LANE.SETTLED': {},
    },
    always: [
      { guard: { type: 'wideStepFailed', params: { step } }, target: WORKFLOW_FAILED },
      { guard: { type: 'wideStepEnded', params: { step } }, target: next, actions: { type: 'finishStep', params: { step } } },
    ],
  };
}
