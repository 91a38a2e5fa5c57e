import { createDefinitionSchema, ownParams, type WorkflowDefinition } from '../../../shared/definition.ts';
import { declaredKeysAt } from '../../../shared/declaredKeysAt.ts';
import type { Limits } from '../../../shared/limits.ts';
import { badRequest, issuesFromZod, MAX_ISSUES } from '../../errors.ts';
import type { TaskRegistry } from '../../tasks/registry.ts';

/** A checked definition, with each task's own params as its schema parsed them (`params[step][task]`). */
export interface NormalizedDefinition {
  definition: WorkflowDefinition;
  params: unknown[][];
}

/** A definition validator bound to one registry and one set of bounds. */
export type DefinitionNormalizer = (input: unknown) => NormalizedDefinition;

/**
 * Builds the create-time check: one parse by the schema the registry types
 * (a task's `name` selects its params schema, engine params plus its own;
 * unknown keys are rejected at every level). Returns the definition with a
 * unique `id` on every task and each task's params as sent (what is stored,
 * and parsed again on resume), plus its own params as its schema parsed
 * them (the first attempts use those).
 * Throws BAD_REQUEST naming each bad field.
 */
export function createDefinitionNormalizer(registry: TaskRegistry, limits: Limits): DefinitionNormalizer {
  const schema = createDefinitionSchema(limits, registry.list());
  return (input) => {
    const parsed = schema.safeParse(input);
    if (!parsed.success) {
      // Parsed again to word the issues: `reportInput` lets an issue tell a missing field from a
      // wrong one (FastAPI's `missing`), and costs a third of a valid definition's parse.
      const reported = schema.safeParse(input, { reportInput: true });
      // Only the kept issues are worded: a 100,000-task body can hold as many problems.
      const all = (reported.error ?? parsed.error).issues;
      const issues = issuesFromZod(all.slice(0, MAX_ISSUES), [], { declaredKeys: (path) => declaredKeysAt(schema, input, path) });
      throw badRequest(issues, undefined, all.length);
    }
    const def = parsed.data;
    const raw = input as { steps: { tasks: { params?: Record<string, unknown> }[] }[] };
    const params = def.steps.map((step, si) =>
      step.tasks.map((task, ti) => {
        const sent = raw.steps[si].tasks[ti].params;
        // Stored as sent: defaults and transforms of the task's schema apply again on every run.
        if (sent === undefined) delete task.params;
        else task.params = { ...sent };
        // The schema above accepted these, so this parse succeeds; it yields exactly what a resume parses.
        return registry.get(task.name)!.params.parse(ownParams(sent ?? {}));
      }),
    );
    assignTaskIds(def);
    return { definition: def, params };
  };
}

/** The params a task's own schema sees: everything but the engine's keys. */
export const taskOwnParams = ownParams;

/**
 * Gives every task a unique id: its own, or one derived from its name
 * (`echo`, `echo_2`, ...), so two tasks of one name never collapse into one.
 * Changes `def` in place: it is the parser's fresh output.
 */
function assignTaskIds(def: WorkflowDefinition): void {
  const taken = new Set<string>();
  for (const step of def.steps) for (const task of step.tasks) if (task.id) taken.add(task.id);
  // Next suffix to try per base name: keeps 1,000 tasks of one name linear, not quadratic.
  const nextSuffix = new Map<string, number>();
  for (const step of def.steps)
    for (const task of step.tasks) {
      if (task.id) continue;
      const base = task.name.replace(/[^A-Za-z0-9_-]/g, '_');
      let id = base;
      let n = nextSuffix.get(base) ?? 2;
      while (taken.has(id)) id = `${base}_${n++}`;
      nextSuffix.set(base, n);
      taken.add(id);
      task.id = id;
    }
}
