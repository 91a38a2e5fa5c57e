import { z } from 'zod';
import { WorkflowIdSchema } from './api.ts';

/** What happened, one word per change of a workflow (see DESIGN §6). */
export const WorkflowEventTypeSchema = z.enum([
  'workflow.created',
  'workflow.started',
  'workflow.succeeded',
  'workflow.failed',
  'workflow.cancelled',
  'task.started',
  'task.succeeded',
  'task.failed',
  'task.retrying',
  'task.cancelled',
  'task.skipped',
]);
export type WorkflowEventType = z.infer<typeof WorkflowEventTypeSchema>;

/**
 * One entry of a workflow's history. `id`s start at 1 and increase by one per
 * event; they are also the ids of `watch` events. `step` is the step's index,
 * `task` the task's id, `process` the id of the process that ran it.
 */
export const WorkflowEventSchema = z.object({
  id: z.number().int().positive(),
  at: z.string(),
  type: WorkflowEventTypeSchema,
  step: z.number().int().nonnegative().optional(),
  task: z.string().optional(),
  attempt: z.number().int().nonnegative().optional(),
  error: z.string().optional(),
  next_attempt_at: z.string().optional(),
  process: z.string().optional(),
});
export type WorkflowEvent = z.infer<typeof WorkflowEventSchema>;

/** Most events one `events` call returns. */
export const MAX_EVENTS_PAGE = 1000;

/** Input of `workflow.events`: events after `after` (an event id; 0 or absent = from the first), oldest first. */
export const EventsInputSchema = z.object({
  id: WorkflowIdSchema,
  after: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_EVENTS_PAGE).default(100),
});
export type EventsInput = z.infer<typeof EventsInputSchema>;

/** A page of history, oldest first; `next_cursor` (pass as `after`) is null when no more events are stored. */
export const EventPageSchema = z.object({
  items: z.array(WorkflowEventSchema),
  next_cursor: z.string().nullable(),
});
export type EventPage = z.infer<typeof EventPageSchema>;
