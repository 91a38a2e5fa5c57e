import { z } from 'zod';
import { DEFAULT_LIMITS, type Limits } from './limits.ts';

/** `low` | `normal` | `high`: order in which queued workflows start. */
export const PrioritySchema = z.enum(['low', 'normal', 'high']);
export type Priority = z.infer<typeof PrioritySchema>;

/** How a step runs its tasks. */
export const ExecutionTypeSchema = z.enum(['sequential', 'parallel']);
export type ExecutionType = z.infer<typeof ExecutionTypeSchema>;

/** Names and ids: printable, no control characters, bounded. */
const nameSchema = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[^\u0000-\u001f\u007f]+$/, 'must not contain control characters');

/** Task ids also appear in XState state ids, so keep them to a safe alphabet. */
const taskIdSchema = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[A-Za-z0-9_-]+$/, 'may contain only letters, digits, "_" and "-"')
    // Ids key the upstream outputs a task receives: `__proto__` would set that object's prototype instead.
    .refine((id) => id !== '__proto__', 'is reserved');

/**
 * Params the engine reads on every task. Every other key belongs to the task
 * and is checked by the task's own schema at create time.
 */
export const EngineParamsSchema = z.object({
  /** Seconds per attempt; the attempt's AbortSignal fires when it passes. */
  timeout: z.number().positive().max(86_400).optional(),
  /** Retries after the first failure. */
  retry_count: z.number().int().min(0).max(100).optional(),
  /** Seconds before the first retry; doubles each retry, capped. */
  retry_delay: z.number().min(0).max(3_600).optional(),
  priority: PrioritySchema.optional(),
});
export type EngineParams = z.infer<typeof EngineParamsSchema>;

/** The keys of {@link EngineParamsSchema}: stripped before a task's own schema sees params. */
export const ENGINE_PARAM_KEYS = ['timeout', 'retry_count', 'retry_delay', 'priority'] as const;

function buildSchemas(limits: Limits) {
  // Loose: keys other than the engine's pass through to the task's own schema.
  const params = z.looseObject(EngineParamsSchema.shape).superRefine((value, ctx) => {
    const text = JSON.stringify(value) ?? '';
    // A UTF-8 character takes at most 3 bytes per UTF-16 unit: encode only when it could matter.
    if (text.length * 3 <= limits.maxParamsBytes) return;
    const bytes = new TextEncoder().encode(text).length;
    if (bytes > limits.maxParamsBytes) {
      ctx.addIssue({ code: 'custom', message: `params are ${bytes} bytes; the limit is ${limits.maxParamsBytes}` });
    }
  });

  const task = z.object({
    name: nameSchema(limits.maxNameLength),
    id: taskIdSchema(limits.maxNameLength).optional(),
    optional: z.boolean().optional(),
    params: params.optional(),
  });

  const step = z.object({
    execution_type: ExecutionTypeSchema,
    fail_fast: z.boolean().optional(),
    tasks: z.array(task).min(1).max(limits.maxTasksPerStep),
  });

  const definition = z
    .object({
      name: nameSchema(limits.maxNameLength),
      steps: z.array(step).min(1).max(limits.maxSteps),
      priority: PrioritySchema.optional(),
      idempotency_key: nameSchema(limits.maxNameLength).optional(),
    })
    .superRefine((def, ctx) => {
      const total = def.steps.reduce((n, s) => n + s.tasks.length, 0);
      if (total > limits.maxTotalTasks) {
        ctx.addIssue({ code: 'custom', path: ['steps'], message: `${total} tasks; the limit is ${limits.maxTotalTasks}` });
      }
      const seen = new Set<string>();
      def.steps.forEach((s, si) =>
        s.tasks.forEach((t, ti) => {
          if (t.id === undefined) return;
          if (seen.has(t.id)) {
            ctx.addIssue({ code: 'custom', path: ['steps', si, 'tasks', ti, 'id'], message: `duplicate task id "${t.id}"` });
          }
          seen.add(t.id);
        }),
      );
    });

  return { task, step, definition };
}

/** Builds the definition schema for the given bounds (the server passes its configured limits). */
export function createDefinitionSchema(limits: Limits = DEFAULT_LIMITS) {
  return buildSchemas(limits).definition;
}

/** The definition schema under the default bounds. */
export const WorkflowDefinitionSchema = createDefinitionSchema();
export const TaskDefinitionSchema = buildSchemas(DEFAULT_LIMITS).task;
export const StepDefinitionSchema = buildSchemas(DEFAULT_LIMITS).step;

/** A workflow definition as posted (the original engine's JSON is valid as is). */
export type WorkflowDefinition = z.infer<typeof WorkflowDefinitionSchema>;
export type TaskDefinition = z.infer<typeof TaskDefinitionSchema>;
export type StepDefinition = z.infer<typeof StepDefinitionSchema>;
