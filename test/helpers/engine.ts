import { z } from 'zod';
import type { WorkflowStatus } from '../../shared/status.ts';
import { isTerminal } from '../../shared/status.ts';
import { createEngine, type WorkflowEngineWithInternals, type WorkflowEngineOptions } from '../../server/engine/createEngine.ts';
import { createMemoryStore } from '../../server/store/MemoryStore.ts';
import { BUILTIN_TASKS, TaskRegistry } from '../../server/tasks/registry.ts';
import { NonRetryableError } from '../../server/errors.ts';
import { defineTask } from '../../server/tasks/defineTask.ts';
import type { WorkflowStore } from '../../server/store/WorkflowStore.ts';

/** Records of what the test tasks saw, by task id. */
export type Seen = Map<string, { attempt: number; upstream: Record<string, unknown>; aborted: boolean }[]>;

/** Built-ins plus tasks that misbehave on purpose or record what they saw. */
export function testRegistry(seen: Seen = new Map()): TaskRegistry {
  return new TaskRegistry([
    ...BUILTIN_TASKS,
    defineTask({
      name: 'record',
      description: 'Records its attempt and upstream, waits `ms`, returns `value`.',
      params: z.object({ ms: z.number().default(0), value: z.unknown().optional() }),
      async run({ params, attempt, upstream, taskId, signal }) {
        const entry = { attempt, upstream, aborted: false };
        seen.set(taskId, [...(seen.get(taskId) ?? []), entry]);
        signal.addEventListener('abort', () => (entry.aborted = true));
        if (params.ms > 0) await new Promise((r) => setTimeout(r, params.ms));
        return params.value ?? { attempt };
      },
    }),
    defineTask({
      name: 'throw_string',
      description: 'Throws a string, not an Error.',
      params: z.object({}),
      async run() {
        throw 'plain string failure';
      },
    }),
    defineTask({
      name: 'non_json',
      description: 'Returns a BigInt, which JSON cannot hold.',
      params: z.object({}),
      async run() {
        return 10n;
      },
    }),
    defineTask({
      name: 'hang',
      description: 'Never settles and ignores its AbortSignal.',
      params: z.object({}),
      run: () => new Promise(() => {}),
    }),
    defineTask({
      name: 'block',
      description: 'Blocks the event loop for `ms`, then returns.',
      params: z.object({ ms: z.number() }),
      async run({ params }) {
        const until = Date.now() + params.ms;
        while (Date.now() < until) {
          // busy on purpose
        }
        return { blocked_ms: params.ms };
      },
    }),
    defineTask({
      name: 'fatal',
      description: 'Fails with a NonRetryableError.',
      params: z.object({}),
      async run() {
        throw new NonRetryableError('bad credentials');
      },
    }),
  ]);
}

/** An engine on a memory store (unless given one) with the test registry. */
export async function startEngine(options: Partial<WorkflowEngineOptions> & { seen?: Seen } = {}): Promise<{ engine: WorkflowEngineWithInternals; store: WorkflowStore; seen: Seen }> {
  const seen = options.seen ?? new Map();
  const store = options.store ?? createMemoryStore();
  const engine = createEngine({ registry: testRegistry(seen), ...options, store });
  await engine.start();
  return { engine, store, seen };
}

/** Resolves with the workflow's status once it is terminal (rejects after `timeoutMs`). */
export function waitForEnd(engine: WorkflowEngineWithInternals, id: string, timeoutMs = 10_000): Promise<WorkflowStatus> {
  return waitFor(engine, id, (s) => isTerminal(s.status), timeoutMs);
}

/** Resolves with the first status of `id` that satisfies `predicate`. */
export function waitFor(engine: WorkflowEngineWithInternals, id: string, predicate: (s: WorkflowStatus) => boolean, timeoutMs = 10_000): Promise<WorkflowStatus> {
  return new Promise((resolve, reject) => {
    // Subscribe before reading, so a change between the two is not missed.
    const finish = (error: Error | null, status?: WorkflowStatus) => {
      clearTimeout(timer);
      off();
      if (error) reject(error);
      else resolve(status!);
    };
    const timer = setTimeout(() => finish(new Error(`workflow ${id} did not reach the expected state in ${timeoutMs} ms`)), timeoutMs);
    const off = engine.subscribe(id, (s) => {
      if (predicate(s)) finish(null, s);
    });
    engine.get(id).then(
      (s) => predicate(s) && finish(null, s),
      (e: Error) => finish(e),
    );
  });
}

/** Shorthand for a one-step definition. */
export function oneStep(execution_type: 'sequential' | 'parallel', tasks: unknown[], extra: Record<string, unknown> = {}) {
  return { name: 'test', steps: [{ execution_type, tasks, ...extra }] };
}
