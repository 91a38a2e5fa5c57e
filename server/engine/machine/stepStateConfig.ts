import type { MachineSetup } from './machineSetup.ts';

/** A state of a workflow machine, typed by its setup (named actors, guards and actions only). */
export type StepStateConfig = Parameters<MachineSetup['createStateConfig']>[0];

/** Where a failure that fails the workflow goes, from anywhere in the machine. */
export const WORKFLOW_FAILED = '#workflow.failed';
