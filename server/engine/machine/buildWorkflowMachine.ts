import type { MachineSetup } from './machineSetup.ts';
import type { StepShape, WorkflowShape } from './stepShape.ts';
import type { StepStateConfig } from './stepStateConfig.ts';
import { stepState } from './machineNames.ts';
import { sequentialStepState } from './sequentialStepState.ts';
import { MAX_PARALLEL_REGIONS, parallelStepState } from './parallelStepState.ts';
import { laneStepState } from './laneStepState.ts';
import { MACHINE_FORMAT } from './machineFormat.ts';

/** How a step's tasks are laid out in the machine: child states in order, one region each, or lanes. */
export type StepLayout = 'sequence' | 'regions' | 'lanes';

/**
 * The layout of a step: a sequential step is a sequence; a parallel step is
 * one region per task up to MAX_PARALLEL_REGIONS (where regions stop paying,
 * measured), lanes beyond; and a parallel step of one task is a sequence of
 * one, its task's state (a parallel state of one region says the same, and
 * costs 10% more per workflow of the sample's shape, machine alone).
 */
export function stepLayout(step: StepShape): StepLayout {
  if (step.kind === 'sequential' || step.width === 1) return 'sequence';
  return step.width <= MAX_PARALLEL_REGIONS ? 'regions' : 'lanes';
}

/**
 * Builds the machine of workflows of one shape: one state per step, in order
 * (`step1_sequential → step2_parallel → … → succeeded`), whose tasks are
 * states invoking their task actors, laid out as {@link stepLayout} says
 * (sequentialStepState, parallelStepState, laneStepState), and the final
 * states `succeeded`, `failed` (a blocking failure, from anywhere) and
 * `cancelled` (CANCEL, from anywhere). Entering a final state stops every
 * invoked actor (their AbortSignals fire) and ends the status document.
 * `layout` is for bench/regionWidth.ts, which measures where regions stop paying.
 */
export function buildWorkflowMachine(m: MachineSetup, shape: WorkflowShape, layout: (step: StepShape) => StepLayout = stepLayout) {
  const names = shape.map((step, s) => stepState(s, step.kind));
  const states: Record<string, StepStateConfig> = {};
  shape.forEach((step, s) => {
    const next = names[s + 1] ?? 'succeeded';
    const how = layout(step);
    if (how === 'regions') states[names[s]] = parallelStepState(s, step.width, next);
    else if (how === 'lanes') states[names[s]] = laneStepState(s, step.width, next);
    else if (step.kind === 'sequential') states[names[s]] = sequentialStepState(s, step.width, next);
    else states[names[s]] = { ...sequentialStepState(s, step.width, next), description: 'one task (a parallel step of one task needs no region)' };
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
