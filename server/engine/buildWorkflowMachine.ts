import type { MachineSetup } from './machineSetup.ts';
import type { WorkflowShape } from './stepShape.ts';
import type { StepStateConfig } from './stepStateConfig.ts';
import { stepState } from './machineNames.ts';
import { sequentialStepState } from './sequentialStepState.ts';
import { MAX_PARALLEL_REGIONS, parallelStepState } from './parallelStepState.ts';
import { laneStepState } from './laneStepState.ts';
import { MACHINE_FORMAT } from './machineFormat.ts';

/**
 * Builds the machine of workflows of one shape: one state per step, in order
 * (`step1_sequential → step2_parallel → … → succeeded`), whose tasks are
 * states invoking their task actors (see sequentialStepState,
 * parallelStepState; laneStepState for steps too wide for regions), and the
 * final states `succeeded`, `failed` (a blocking failure, from anywhere) and
 * `cancelled` (CANCEL, from anywhere). Entering a final state stops every
 * invoked actor (their AbortSignals fire) and ends the status document.
 * `maxRegions` is for bench/regionWidth.ts, which measures where regions stop paying.
 */
export function buildWorkflowMachine(m: MachineSetup, shape: WorkflowShape, maxRegions = MAX_PARALLEL_REGIONS) {
  const names = shape.map((step, s) => stepState(s, step.kind));
  const states: Record<string, StepStateConfig> = {};
  shape.forEach((step, s) => {
    const next = names[s + 1] ?? 'succeeded';
    states[names[s]] =
      step.kind === 'sequential'
        ? sequentialStepState(s, step.width, next)
        : step.width <= maxRegions
          ? parallelStepState(s, step.width, next)
          : laneStepState(s, step.width, next);
  });
  states.succeeded = { type: 'final', entry: { type: 'endWorkflow', params: { outcome: 'succeeded' } } };
  states.failed = { type: 'final', entry: { type: 'endWorkflow', params: { outcome: 'failed' } } };
  states.cancelled = { type: 'final', entry: { type: 'endWorkflow', params: { outcome: 'cancelled' } } };
  return m.createMachine({
    id: 'workflow',
    version: MACHINE_FORMAT,
    description: `A workflow of ${shape.length === 1 ? 'one step' : `${shape.length} steps`}: ${shape.map((step) => `${step.kind} × ${step.width}`).join(', ')}`,
    context: ({ input }) => input,
    initial: names[0],
    states,
    on: { CANCEL: '.cancelled' },
  });
}

/** A workflow machine. */
export type WorkflowMachine = ReturnType<typeof buildWorkflowMachine>;
