import { z } from 'zod';
import type { TaskDefinition } from './defineTask.ts';
import type { TaskInfo } from '../../shared/api.ts';
import { taskA, taskB, taskC } from './builtin/simulated.ts';
import { sleepTask } from './builtin/sleep.ts';
import { failTask } from './builtin/fail.ts';
import { echoTask } from './builtin/echo.ts';
import { httpTask } from './builtin/http.ts';

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

  /** Names, descriptions and param JSON schemas, for `task.list` and the docs. */
  describe(): TaskInfo[] {
    return this.names().map((name) => {
      const t = this.tasks.get(name)!;
      return {
        name,
        description: t.description,
        params_schema: z.toJSONSchema(t.params, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>,
      };
    });
  }
}

/** Every built-in task. To add one: write it in builtin/, then list it here. */
export const BUILTIN_TASKS: TaskDefinition[] = [taskA, taskB, taskC, sleepTask, failTask, echoTask, httpTask];

/** A registry holding the built-ins. */
export function createDefaultRegistry(): TaskRegistry {
  return new TaskRegistry(BUILTIN_TASKS);
}
