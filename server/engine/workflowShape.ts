import type { WorkflowDefinition } from '../../shared/definition.ts';

/**
 * What the machine depends on: step kinds, fail_fast and task counts. Params,
 * names and ids live in context, so every workflow of one shape shares one
 * machine (building a machine per workflow halves throughput).
 */
export interface WorkflowShape {
  key: string;
  steps: { parallel: boolean; failFast: boolean; tasks: number }[];
}

/** The shape of a definition, with a key that names it. */
export function shapeOf(def: WorkflowDefinition): WorkflowShape {
  const steps = def.steps.map((s) => ({
    parallel: s.execution_type === 'parallel',
    failFast: s.fail_fast === true,
    tasks: s.tasks.length,
  }));
  const key = steps.map((s) => `${s.parallel ? 'p' : 's'}${s.failFast ? 'f' : ''}${s.tasks}`).join('.');
  return { key, steps };
}
