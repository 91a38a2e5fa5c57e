import { z } from 'zod';
import { WorkflowStateSchema } from './status.ts';

/** An XState state value: a state's name, or an object of its active child states (`{ step2_parallel: { task1: 'running' } }`). */
export type StateValue = string | { [state: string]: StateValue };

/** A state value on the wire (recursive). */
export const StateValueSchema: z.ZodType<StateValue> = z.lazy(() => z.union([z.string(), z.record(z.string(), StateValueSchema)]));

/**
 * What `GET /api/workflow/:id/machine` and `workflow.machine({ id })` answer:
 * the XState machine the workflow runs as (its definition: XState's
 * `machine.toJSON()` made compact — states, invoked actors, transitions with
 * their named guards and actions, eventless ones included) and where the
 * workflow stands in it.
 */
export const WorkflowMachineSchema = z.object({
  /** The workflow's id. */
  id: z.string(),
  /** The workflow's status (as in its status document). */
  status: WorkflowStateSchema,
  /** The machine's current state value; null while the workflow waits to start. */
  value: StateValueSchema.nullable(),
  /** The machine's definition (see above): every workflow of the same shape of steps runs this machine. */
  machine: z.record(z.string(), z.unknown()),
});
export type WorkflowMachineInfo = z.infer<typeof WorkflowMachineSchema>;
