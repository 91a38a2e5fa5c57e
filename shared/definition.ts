import { z } from 'zod';
import { DEFAULT_LIMITS, type Limits } from './limits.ts';
import { nameProblem } from './textProblem.ts';
import { jsonValueProblems } from './jsonValueProblem.ts';
import { closestKey } from './closestKey.ts';

/** `low` | `normal` | `high`: order in which queued workflows start. */
export const PrioritySchema = z.enum(['low', 'normal', 'high']);
export type Priority = z.infer<typeof PrioritySchema>;

/** How a step runs its tasks. */
export const ExecutionTypeSchema = z.enum(['sequential', 'parallel']);
export type ExecutionType = z.infer<typeof ExecutionTypeSchema>;

/**
 * Names: one clear message per bad name (empty, blank, invisible only, lone
 * surrogate, control characters, too long). Length bounds stay zod checks
 * too, so the JSON schema states them.
 */
const nameSchema = (max: number) =>
  z
    .string()
    .min(1, { error: 'must not be empty', abort: true })
    .max(max, { error: `is longer than ${max} characters`, abort: true })
    .check((ctx) => {
      const problem = nameProblem(ctx.value, max);
      if (problem) ctx.issues.push({ code: 'custom', message: problem, input: ctx.value });
    });

/** Task ids also appear in XState state ids, so keep them to a safe alphabet. */
const taskIdSchema = (max: number) =>
  z
    .string()
    .min(1, { error: 'must not be empty', abort: true })
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

/** What the definition schema needs of a task: its name and the schema of its own params. */
export interface TaskSpec {
  readonly name: string;
  readonly params: z.ZodType;
}

type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** A strict schema's input says "any other key: never"; that index would swallow the engine's keys, so drop it. */
type WithoutNeverIndex<I> = string extends keyof I ? ([I[string]] extends [never] ? { [K in keyof I as string extends K ? never : K]: I[K] } : I) : I;

/** The params a task takes on the wire: the engine's plus its own (as its schema accepts them). */
export type TaskParamsInput<S extends z.ZodType> = Simplify<EngineParams & WithoutNeverIndex<z.input<S>>>;

/** One task of a step of a definition, typed by its name: `name` selects the params. */
export type StepTaskDefinitionInput<T extends TaskSpec = TaskSpec> = T extends TaskSpec
  ? {
      name: T['name'];
      id?: string;
      optional?: boolean;
      // A task known only as `string` (an untyped registry) takes any params.
      params?: string extends T['name'] ? EngineParams & Record<string, unknown> : TaskParamsInput<T['params']>;
    }
  : never;

/** One step of a definition whose tasks are `E` (entries already typed by name). */
export interface StepShape<E> {
  execution_type: ExecutionType;
  fail_fast?: boolean;
  tasks: E[];
}

/** A definition whose tasks are `E`. Generic over the entries, not the registry, so TypeScript compares definitions task by task. */
export interface DefinitionShape<E> {
  name: string;
  steps: StepShape<E>[];
  priority?: Priority;
  idempotency_key?: string;
}

/** One step of a definition whose tasks come from `T`. */
export type StepDefinitionInput<T extends TaskSpec = TaskSpec> = StepShape<StepTaskDefinitionInput<T>>;

/**
 * A definition as a client writes it for a server whose tasks are `Tasks`:
 * an unknown task name or a wrong param is a type error.
 */
export type WorkflowDefinitionInput<Tasks extends readonly TaskSpec[] = readonly TaskSpec[]> = DefinitionShape<StepTaskDefinitionInput<Tasks[number]>>;

const ENGINE_KEYS: ReadonlySet<string> = new Set(ENGINE_PARAM_KEYS);

/**
 * The params schema of one task on the wire: engine params and the task's own
 * in one object, strict unless the task's schema is loose (`echo` takes any
 * param). A loose schema still rejects a near miss of an engine param
 * (`timout`), which would otherwise pass silently as the task's own.
 * Values must be JSON that survives storage (no NaN, no lone surrogates), and
 * the whole must fit `maxParamsBytes`.
 */
export function createTaskParamsSchema(spec: TaskSpec | undefined, limits: Limits = DEFAULT_LIMITS) {
  const own = spec?.params;
  const ownObject = own instanceof z.ZodObject ? own : undefined;
  const catchall = ownObject?._zod.def.catchall;
  const loose = !ownObject || (catchall !== undefined && !(catchall instanceof z.ZodNever));
  const shape = { ...(ownObject?.shape ?? {}), ...EngineParamsSchema.shape };
  const base = !loose ? z.strictObject(shape) : catchall ? z.object(shape).catchall(catchall) : z.looseObject(shape);
  // Object-level checks of the task's own schema, or a schema that is not an object at all, run on the own keys.
  const ownChecks = own !== undefined && (!ownObject || (ownObject._zod.def.checks?.length ?? 0) > 0);

  return base.superRefine((value, ctx) => {
    // The size first: past it nothing else is worth walking (a 300,000-item list must not be).
    const text = JSON.stringify(value) ?? '';
    // A UTF-8 character takes at most 3 bytes per UTF-16 unit: encode only when it could matter.
    if (text.length * 3 > limits.maxParamsBytes) {
      const bytes = new TextEncoder().encode(text).length;
      if (bytes > limits.maxParamsBytes) {
        ctx.addIssue({ code: 'custom', message: `params are ${bytes} bytes; the limit is ${limits.maxParamsBytes}` });
        return;
      }
    }
    if (loose) {
      for (const key of Object.keys(value)) {
        if (key in shape) continue;
        const near = closestKey(key, ENGINE_PARAM_KEYS);
        if (near) ctx.addIssue({ code: 'custom', path: [key], message: `unknown param; did you mean "${near}"?` });
      }
    }
    for (const p of jsonValueProblems(value)) ctx.addIssue({ code: 'custom', path: p.path, message: p.message });
    if (ownChecks) {
      const result = own.safeParse(ownParams(value));
      if (!result.success) for (const i of result.error.issues) ctx.addIssue({ code: 'custom', path: i.path, message: i.message });
    }
  });
}

/** The params a task's own schema sees: everything but the engine's keys. */
export function ownParams(params: Record<string, unknown>): Record<string, unknown> {
  const own: Record<string, unknown> = {};
  for (const key in params) if (!ENGINE_KEYS.has(key)) own[key] = params[key];
  return own;
}

function taskSchema(limits: Limits, spec?: TaskSpec) {
  return z.strictObject({
    name: spec ? z.literal(spec.name) : nameSchema(limits.maxNameLength),
    id: taskIdSchema(limits.maxNameLength).optional(),
    optional: z.boolean().optional(),
    params: createTaskParamsSchema(spec, limits).optional(),
  });
}

/** A task of a registry: `name` picks the variant; an unknown or bad name gets one message. */
function registryTaskSchema(limits: Limits, tasks: readonly TaskSpec[]) {
  const names = tasks.map((t) => t.name).sort();
  const variants = tasks.map((t) => taskSchema(limits, t));
  if (variants.length === 0) {
    return taskSchema(limits).refine(() => false, { path: ['name'], message: 'no tasks are registered on this server' });
  }
  return z.discriminatedUnion('name', variants as [(typeof variants)[number], ...(typeof variants)[number][]], {
    error: (iss) => {
      if (iss.code !== 'invalid_union') return undefined;
      const name = (iss.input as { name?: unknown } | undefined)?.name;
      if (name === undefined) return 'is required: the name of a registered task';
      if (typeof name !== 'string') return 'must be a string: the name of a registered task';
      const problem = nameProblem(name, limits.maxNameLength);
      if (problem) return problem;
      const near = closestKey(name, names);
      return `unknown task "${name}"; ${near ? `did you mean "${near}"? ` : ''}known tasks: ${names.join(', ')}`;
    },
  });
}

function buildSchemas(limits: Limits, tasks?: readonly TaskSpec[]) {
  const task = tasks ? registryTaskSchema(limits, tasks) : taskSchema(limits);

  const step = z.strictObject({
    execution_type: ExecutionTypeSchema,
    fail_fast: z.boolean().optional(),
    tasks: z.array(task).min(1).max(limits.maxTasksPerStep),
  });

  const definition = z
    .strictObject({
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

/**
 * Builds the definition schema for the given bounds (the server passes its
 * configured limits). With `tasks`, a task's `name` selects its params schema
 * (engine params plus the task's own): an unknown name or param is rejected
 * here, and the JSON schema lists every task with its params. Without, any
 * name passes and params are checked only as engine params.
 */
export function createDefinitionSchema(limits: Limits = DEFAULT_LIMITS, tasks?: readonly TaskSpec[]): z.ZodType<WorkflowDefinition, WorkflowDefinition> {
  // The output differs by registry only in `name` literals and params: callers see the general shape.
  return buildSchemas(limits, tasks).definition as unknown as z.ZodType<WorkflowDefinition, WorkflowDefinition>;
}

/** A workflow definition for any task (the original engine's JSON is valid as is). */
export type WorkflowDefinition = WorkflowDefinitionInput;
/**
 * One task of a step of a {@link WorkflowDefinition}: which registered task
 * runs (`name`), with which params. (Not the registered task itself: that is
 * the server's `TaskDefinition`, what `defineTask` returns.)
 */
export type StepTaskDefinition = StepTaskDefinitionInput;
/** One step of a {@link WorkflowDefinition}. */
export type StepDefinition = StepDefinitionInput;

/** The definition schema under the default bounds, for any task name. */
export const WorkflowDefinitionSchema = createDefinitionSchema();
