import type { ExecutionType } from '../../../shared/definition.ts';

/** What the machine of a step depends on: its kind and how many tasks it has. */
export interface StepShape {
  readonly kind: ExecutionType;
  readonly width: number;
}

/**
 * The shape of a workflow: its steps' kinds and widths, in order. Workflows of
 * one shape share one machine; names, params, retries, `optional` and
 * `fail_fast` are read from the run's status document by the machine's guards.
 */
export type WorkflowShape = readonly StepShape[];

/** The steps of a definition or a status document (both list steps of tasks). */
export type StepsLike = ReadonlyArray<{ execution_type: ExecutionType; tasks: ArrayLike<unknown> }>;

/** The shape of a definition's or a status document's steps. */
export function shapeOf(steps: StepsLike): WorkflowShape {
  return steps.map((step) => ({ kind: step.execution_type, width: step.tasks.length }));
}

/** A shape as a short string, the key of the machine cache: `sequential:2,parallel:1`. Made without the shape itself: it runs per launch. */
export function shapeKeyOf(steps: StepsLike): string {
  let key = '';
  for (let s = 0; s < steps.length; s++) key += `${s === 0 ? '' : ','}${steps[s].execution_type}:${steps[s].tasks.length}`;
  return key;
}
