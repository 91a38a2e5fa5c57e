import { createDefinitionSchema, ENGINE_PARAM_KEYS, type WorkflowDefinition } from '../../shared/definition.ts';
import type { Limits } from '../../shared/limits.ts';
import type { ErrorIssue } from '../../shared/errors.ts';
import { badRequest, issuesFromZod } from '../errors.ts';
import type { TaskRegistry } from '../tasks/registry.ts';

/** A checked definition, with each task's own params as its schema parsed them (`params[step][task]`). */
export interface NormalizedDefinition {
  definition: WorkflowDefinition;
  params: unknown[][];
}

/** A definition validator bound to one registry and one set of bounds. */
export type DefinitionNormalizer = (input: unknown) => NormalizedDefinition;

/**
 * Builds the create-time check: the wire schema (bounds included), then every
 * task name against the registry and every task's own params against its
 * schema. Returns the definition with a unique `id` on every task, and the
 * parsed params (the first attempts use them: no second parse).
 * Throws BAD_REQUEST naming each bad field.
 */
export function createDefinitionNormalizer(registry: TaskRegistry, limits: Limits): DefinitionNormalizer {
  const schema = createDefinitionSchema(limits);
  return (input) => {
    const parsed = schema.safeParse(input);
    if (!parsed.success) throw badRequest(issuesFromZod(parsed.error.issues));
    const def = parsed.data;

    const issues: ErrorIssue[] = [];
    const params = def.steps.map((step, si) =>
      step.tasks.map((task, ti) => {
        const registered = registry.get(task.name);
        if (!registered) {
          issues.push({
            path: ['steps', si, 'tasks', ti, 'name'].join('.'),
            message: `unknown task "${task.name}"; known tasks: ${registry.names().join(', ')}`,
          });
          return undefined;
        }
        const result = registered.params.safeParse(taskOwnParams(task.params ?? {}));
        if (!result.success) issues.push(...issuesFromZod(result.error.issues, ['steps', si, 'tasks', ti, 'params']));
        return result.data;
      }),
    );
    if (issues.length > 0) throw badRequest(issues);

    assignTaskIds(def);
    return { definition: def, params };
  };
}

const ENGINE_KEYS: ReadonlySet<string> = new Set(ENGINE_PARAM_KEYS);

/** The params a task's own schema sees: everything but the engine's keys. */
export function taskOwnParams(params: Record<string, unknown>): Record<string, unknown> {
  const own: Record<string, unknown> = {};
  for (const key in params) if (!ENGINE_KEYS.has(key)) own[key] = params[key];
  return own;
}

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
