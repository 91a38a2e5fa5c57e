import { createDefinitionSchema, ENGINE_PARAM_KEYS, type WorkflowDefinition } from '../../shared/definition.ts';
import type { Limits } from '../../shared/limits.ts';
import type { ErrorIssue } from '../../shared/errors.ts';
import { badRequest, issuesFromZod } from '../errors.ts';
import type { TaskRegistry } from '../tasks/registry.ts';

/** A definition validator bound to one registry and one set of bounds. */
export type DefinitionNormalizer = (input: unknown) => WorkflowDefinition;

/**
 * Builds the create-time check: the wire schema (bounds included), then every
 * task name against the registry and every task's own params against its
 * schema. Returns the definition with a unique `id` on every task.
 * Throws BAD_REQUEST naming each bad field.
 */
export function createDefinitionNormalizer(registry: TaskRegistry, limits: Limits): DefinitionNormalizer {
  const schema = createDefinitionSchema(limits);
  return (input) => {
    const parsed = schema.safeParse(input);
    if (!parsed.success) throw badRequest(issuesFromZod(parsed.error.issues));
    const def = parsed.data;

    const issues: ErrorIssue[] = [];
    def.steps.forEach((step, si) =>
      step.tasks.forEach((task, ti) => {
        const path = ['steps', si, 'tasks', ti];
        const registered = registry.get(task.name);
        if (!registered) {
          issues.push({
            path: [...path, 'name'].join('.'),
            message: `unknown task "${task.name}"; known tasks: ${registry.names().join(', ')}`,
          });
          return;
        }
        const own = taskOwnParams(task.params ?? {});
        const result = registered.params.safeParse(own);
        if (!result.success) issues.push(...issuesFromZod(result.error.issues, [...path, 'params']));
      }),
    );
    if (issues.length > 0) throw badRequest(issues);

    return assignTaskIds(def);
  };
}

/** The params a task's own schema sees: everything but the engine's keys. */
export function taskOwnParams(params: Record<string, unknown>): Record<string, unknown> {
  const own: Record<string, unknown> = { ...params };
  for (const key of ENGINE_PARAM_KEYS) delete own[key];
  return own;
}

/**
 * Gives every task a unique id: its own, or one derived from its name
 * (`echo`, `echo_2`, ...), so two tasks of one name never collapse into one.
 */
function assignTaskIds(def: WorkflowDefinition): WorkflowDefinition {
  const taken = new Set<string>();
  for (const step of def.steps) for (const task of step.tasks) if (task.id) taken.add(task.id);
  // Next suffix to try per base name: keeps 1,000 tasks of one name linear, not quadratic.
  const nextSuffix = new Map<string, number>();

  const steps = def.steps.map((step) => ({
    ...step,
    tasks: step.tasks.map((task) => {
      if (task.id) return task;
      const base = task.name.replace(/[^A-Za-z0-9_-]/g, '_');
      let id = base;
      let n = nextSuffix.get(base) ?? 2;
      while (taken.has(id)) id = `${base}_${n++}`;
      nextSuffix.set(base, n);
      taken.add(id);
      return { ...task, id };
    }),
  }));
  return { ...def, steps };
}
