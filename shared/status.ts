import { z } from 'zod';
import { ExecutionTypeSchema } from './definition.ts';

// The status vocabulary: every state a workflow, step or task can be in, and
// which of them are final. Server, SDK, CLI, dashboard and the Redis store's
// Lua scripts (server/store/lua/luaStates.ts generates their tables) all read
// these lists; none keeps a copy.

/** Workflow lifecycle: pending (queued) → running → succeeded | failed | cancelled. */
export const WORKFLOW_STATES = ['pending', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export const WorkflowStateSchema = z.enum(WORKFLOW_STATES);
export type WorkflowState = z.infer<typeof WorkflowStateSchema>;

/** Task lifecycle: pending → running (→ retrying) → succeeded | failed | cancelled | skipped. */
export const TASK_STATES = ['pending', 'running', 'retrying', 'succeeded', 'failed', 'cancelled', 'skipped'] as const;
export const TaskStateSchema = z.enum(TASK_STATES);
export type TaskState = z.infer<typeof TaskStateSchema>;

/** Step lifecycle mirrors the task's, minus retrying. */
export const STEP_STATES = ['pending', 'running', 'succeeded', 'failed', 'cancelled', 'skipped'] as const;
export const StepStateSchema = z.enum(STEP_STATES);
export type StepState = z.infer<typeof StepStateSchema>;

const WORKFLOW_OUTCOMES = ['succeeded', 'failed', 'cancelled'] as const satisfies readonly WorkflowState[];
/** How a workflow ended: one of {@link TERMINAL_WORKFLOW_STATES}. */
export type WorkflowOutcome = (typeof WORKFLOW_OUTCOMES)[number];
/** Workflow statuses after which nothing changes: how a workflow ends. */
export const TERMINAL_WORKFLOW_STATES: readonly WorkflowState[] = WORKFLOW_OUTCOMES;

const TASK_OUTCOMES = ['succeeded', 'failed', 'cancelled', 'skipped'] as const satisfies readonly TaskState[];
/** How a task ended: one of {@link TERMINAL_TASK_STATES}. */
export type TaskOutcome = (typeof TASK_OUTCOMES)[number];
/** Task statuses after which the task will not change again in its workflow (`skipped`: it never ran). */
export const TERMINAL_TASK_STATES: readonly TaskState[] = TASK_OUTCOMES;

const terminalWorkflow: ReadonlySet<string> = new Set(TERMINAL_WORKFLOW_STATES);
const terminalTask: ReadonlySet<string> = new Set(TERMINAL_TASK_STATES);

/** Workflow statuses that will still change (queued or running): what a restart resumes. */
export const UNFINISHED_WORKFLOW_STATES: readonly WorkflowState[] = WORKFLOW_STATES.filter((s) => !terminalWorkflow.has(s));

/** True when a workflow in this state will never change again. */
export function isTerminal(state: WorkflowState): state is WorkflowOutcome {
  return terminalWorkflow.has(state);
}

/** True when a task in this state has ended: it will not run, retry or change again. */
export function hasTaskEnded(state: TaskState): state is TaskOutcome {
  return terminalTask.has(state);
}

/** ISO-8601 UTC timestamp, or null when the moment has not come. */
const timestamp = z.string().nullable();

export const TaskStatusSchema = z.object({
  id: z.string(),
  name: z.string(),
  params: z.record(z.string(), z.unknown()),
  optional: z.boolean(),
  status: TaskStateSchema,
  attempts: z.number().int(),
  output: z.unknown().optional(),
  error: z.string().nullable(),
  started_at: timestamp,
  finished_at: timestamp,
  /** When a `retrying` task makes its next attempt. */
  next_attempt_at: timestamp.optional(),
});
export type TaskStatus = z.infer<typeof TaskStatusSchema>;

export const StepStatusSchema = z.object({
  index: z.number().int(),
  execution_type: ExecutionTypeSchema,
  fail_fast: z.boolean(),
  status: StepStateSchema,
  tasks: z.array(TaskStatusSchema),
});
export type StepStatus = z.infer<typeof StepStatusSchema>;

/** What get / list / watch return for a workflow. */
export const WorkflowStatusSchema = z.object({
  id: z.string(),
  name: z.string(),
  status: WorkflowStateSchema,
  priority: z.enum(['low', 'normal', 'high']),
  created_at: z.string(),
  started_at: timestamp,
  finished_at: timestamp,
  error: z.string().nullable(),
  steps: z.array(StepStatusSchema),
});
export type WorkflowStatus = z.infer<typeof WorkflowStatusSchema>;

/** A page of workflows, newest first. */
export const WorkflowPageSchema = z.object({
  items: z.array(WorkflowStatusSchema),
  next_cursor: z.string().nullable(),
});
export type WorkflowPage = z.infer<typeof WorkflowPageSchema>;
