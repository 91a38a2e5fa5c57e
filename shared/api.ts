import { z } from 'zod';
import { WorkflowStateSchema } from './status.ts';
import { DEFAULT_LIMITS } from './limits.ts';
import { hasLoneSurrogate, LONE_SURROGATE } from './textProblem.ts';

/** Workflow ids are server-made UUIDs; anything else is rejected before it reaches a store. */
export const WorkflowIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'is not a workflow id');

export const GetInputSchema = z.object({ id: WorkflowIdSchema });
export const CancelInputSchema = GetInputSchema;
export const MachineInputSchema = GetInputSchema;

/** Longest `name` filter of a list call, in UTF-16 units (longer than any name under the default bound of 128). */
export const MAX_NAME_FILTER_LENGTH = 200;

/**
 * The `name` filter of a list call: only workflows whose name contains this
 * text, ignoring case (both compared in Unicode NFKC, lower-cased). Empty
 * matches every name (no filter).
 */
export const NameFilterSchema = z
  .string()
  .max(MAX_NAME_FILTER_LENGTH)
  .refine((s) => !hasLoneSurrogate(s), LONE_SURROGATE);

export const ListInputSchema = z.object({
  limit: z.coerce.number().int().min(1).max(DEFAULT_LIMITS.maxListLimit).default(50),
  cursor: z.string().max(128).optional(),
  status: WorkflowStateSchema.optional(),
  name: NameFilterSchema.optional(),
});
export type ListInput = z.infer<typeof ListInputSchema>;

export const WatchInputSchema = z.object({
  id: WorkflowIdSchema,
  /** Resume after this event id (tRPC's SSE reconnect sends it). */
  lastEventId: z.string().max(64).optional(),
});

/** What `POST /api/workflow` answers, as the original engine did (plus the full status). */
export const CreateResponseSchema = z.object({
  workflow_id: z.string(),
  status: WorkflowStateSchema,
  message: z.string(),
});
export type CreateResponse = z.infer<typeof CreateResponseSchema>;

/** One entry of FastAPI's validation `detail`: where (`["body", "steps", 0, ...]`), what, and its pydantic error type. */
export const FastApiErrorItemSchema = z.object({
  loc: z.array(z.union([z.string(), z.number().int()])),
  msg: z.string(),
  type: z.string(),
});

/**
 * Error body of every REST route: our `error` (switch on `code`; `issues`
 * names each bad field), and FastAPI's `detail` next to it, so clients of the
 * original engine keep working: the list of field problems of a 422, a
 * string otherwise (`"Workflow not found"`).
 */
export const ErrorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
  detail: z.union([z.string(), z.array(FastApiErrorItemSchema)]),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

/** One registered task, as `task.list` describes it. */
export const TaskInfoSchema = z.object({
  name: z.string(),
  description: z.string(),
  params_schema: z.record(z.string(), z.unknown()),
});
export type TaskInfo = z.infer<typeof TaskInfoSchema>;
