import type { WorkflowDefinition, WorkflowStatus } from '../../index.ts';

/**
 * The definition a workflow was created from, rebuilt from its status (which
 * keeps every step, task id, name, params and flag): what "run again" sends.
 * No idempotency key, so it is always a new workflow.
 */
export function definitionOf(status: WorkflowStatus): WorkflowDefinition {
  return {
    name: status.name,
    ...(status.priority !== 'normal' ? { priority: status.priority } : {}),
    steps: status.steps.map((step) => ({
      execution_type: step.execution_type,
      ...(step.fail_fast ? { fail_fast: true } : {}),
      tasks: step.tasks.map((t) => ({
        id: t.id,
        name: t.name,
        ...(t.optional ? { optional: true } : {}),
        ...(Object.keys(t.params).length ? { params: t.params } : {}),
      })),
    })),
  };
}
