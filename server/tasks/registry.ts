import { z } from 'zod';
import type { TaskDefinition } from './defineTask.ts';
import type { TaskInfo } from '../../shared/api.ts';
import { createTaskParamsSchema, ENGINE_PARAM_KEYS } from '../../shared/definition.ts';
import { taskA, taskB, taskC } from './builtin/simulated.ts';
import { sleepTask } from './builtin/sleep.ts';
import { failTask } from './builtin/fail.ts';
import { echoTask } from './builtin/echo.ts';
import { createHttpTask } from './builtin/http.ts';
import { parseHttpAllowList } from './httpAllowList.ts';

/** Tasks by name. The engine runs only what is registered here. */
export class TaskRegistry {
  private readonly tasks = new Map<string, TaskDefinition>();

  constructor(tasks: Iterable<TaskDefinition> = []) {
    for (const t of tasks) this.register(t);
  }

  /** Adds a task; a second task of the same name is a programming error. */
  register(task: TaskDefinition): this {
    if (this.tasks.has(task.name)) throw new Error(`task "${task.name}" is registered twice`);
    this.tasks.set(task.name, task);
    return this;
  }

  get(name: string): TaskDefinition | undefined {
    return this.tasks.get(name);
  }

  names(): string[] {
    return [...this.tasks.keys()].sort();
  }

  /** Every task, in name order: what the definition schema is built from. */
  list(): TaskDefinition[] {
    return this.names().map((name) => this.tasks.get(name)!);
  }

  /**
   * Names, descriptions and the JSON schema of each task's own params (the
   * engine's `timeout`, `retry_count`, ... come on top), as strict as the
   * server applies them, for `task.list`, the OpenAPI document and the docs.
   */
  describe(): TaskInfo[] {
    return this.list().map((t) => ({ name: t.name, description: t.description, params_schema: ownParamsJsonSchema(t) }));
  }
}

/**
 * The JSON schema of a task's own params. An object schema is described as
 * the server checks it (a plain `z.object` rejects unknown keys), without the
 * engine's keys; any other schema as it is.
 */
function ownParamsJsonSchema(task: TaskDefinition): Record<string, unknown> {
  const toJson = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  const { $schema: _dialect, ...json } = toJson(task.params instanceof z.ZodObject ? createTaskParamsSchema(task) : task.params);
  if (!(task.params instanceof z.ZodObject)) return json;
  const properties = { ...(json.properties as Record<string, unknown>) };
  for (const key of ENGINE_PARAM_KEYS) if (!(key in task.params.shape)) delete properties[key];
  return { ...json, properties };
}

/** Settings of the built-in tasks (from the server's config). */
export interface BuiltinTaskOptions {
  /** `HTTP_TASK_ALLOW`: where the `http` task may send requests (comma-separated hosts or URL prefixes); unset, anywhere. */
  httpTaskAllow?: string;
}

/**
 * The built-in tasks under the server's settings. To add one: write it in
 * builtin/, then list it here.
 */
export function createBuiltinTasks(options: BuiltinTaskOptions = {}) {
  let allow;
  if (options.httpTaskAllow !== undefined) {
    const parsed = parseHttpAllowList(options.httpTaskAllow);
    if (!parsed.ok) throw new Error(`HTTP_TASK_ALLOW: ${parsed.problems.join('; ')}`);
    allow = parsed.list;
  }
  return [taskA, taskB, taskC, sleepTask, failTask, echoTask, createHttpTask(allow)] as const satisfies readonly TaskDefinition[];
}

/** Every built-in task, as a server without settings has them (`http` may reach any URL). */
export const BUILTIN_TASKS = createBuiltinTasks();

/** The built-in tasks' types: what the built-in server's definition is typed by. */
export type BuiltinTasks = typeof BUILTIN_TASKS;

/** A registry holding the built-ins. */
export function createDefaultRegistry(): TaskRegistry {
  return new TaskRegistry(BUILTIN_TASKS);
}
