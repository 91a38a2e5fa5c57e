import { z } from 'zod';
import { ExecutionTypeSchema } from './definition.ts';

/** Workflow lifecycle: pending (queued) → running → succeeded | failed | cancelled. */
export const WorkflowStateSchema = z.enum(['pending', 'running', 'succeeded', 'failed', 'cancelled']);
export type WorkflowState = z.infer<typeof WorkflowStateSchema>;

/** Task lifecycle: pending → running (→ retrying) → succeeded | failed | cancelled | skipped. */
export const TaskStateSchema = z.enum(['pending', 'running', 'retrying', 'succeeded', 'failed', 'cancelled', 'skipped']);
export type TaskState = z.infer<typeof TaskStateSchema>;

/** Step lifecycle mirrors the task's, minus retrying. */
export const StepStateSchema = z.enum(['pending', 'running', 'succeeded', 'failed', 'cancelled', 'skipped']);
export type StepState = z.infer<typeof StepStateSchema>;

/** Statuses after which nothing changes. */
export const TERMINAL_WORKFLOW_STATES: readonly WorkflowState[] = ['succeeded', 'failed', 'cancelled'];

/** True when a workflow in this state will never change again. */
export function isTerminal(state: WorkflowState): boolean {
  return TERMINAL_WORKFLOW_STATES.includes(state);
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
