/**
 * The statechart of a workflow: one XState machine per shape of steps (built with `setup()`),
 * its step and task states, guards and actors, the cache of machines, and the stored snapshot format.
 *
 * The room's one door: what the rest of the server imports from it.
 */
export { MachineCache } from './MachineCache.ts';
export { buildWorkflowMachine, type StepLayout, type WorkflowMachine } from './buildWorkflowMachine.ts';
export { buildLaneMachine, type LaneHooks } from './laneMachine.ts';
export { type DelayActorInput, type TaskActorInput, type WorkflowActors } from './machineActors.ts';
export { isStamped } from './machineFormat.ts';
export { createMachineSetup, type WorkflowContext } from './machineSetup.ts';
export { restoreFromStore } from './restoreFromStore.ts';
export { snapshotFromStatus } from './snapshotFromStatus.ts';
export { openWorkflowInspector } from './workflowInspector.ts';
