import { z } from 'zod';
import { CreateResponseSchema, ErrorBodySchema, TaskInfoSchema, WorkflowIdSchema, type TaskInfo } from '../../shared/api.ts';
import { createDefinitionSchema, ExecutionTypeSchema, PrioritySchema } from '../../shared/definition.ts';
import type { Limits } from '../../shared/limits.ts';
import { StepStatusSchema, TaskStatusSchema, WorkflowStateSchema, WorkflowStatusSchema } from '../../shared/status.ts';
import { HealthSchema } from './health.ts';
import { EventsInputSchema, WorkflowEventSchema } from '../../shared/events.ts';
import { listInputSchemas } from './listInput.ts';
import { StateValueSchema, WorkflowMachineSchema } from '../../shared/machine.ts';
import { taskVariantSchemas } from './openApiTasks.ts';

/** The original engine's sample workflow: the example body of `POST /api/workflow`. */
export const SAMPLE_WORKFLOW = {
  name: 'sample_workflow',
  steps: [
    {
      execution_type: 'sequential',
      tasks: [
        { name: 'task_a', params: { timeout: 30 } },
        { name: 'task_b', params: { retry_count: 3 } },
      ],
    },
    { execution_type: 'parallel', tasks: [{ name: 'task_c', params: { priority: 'high' } }] },
  ],
};

type JsonSchema = Record<string, unknown>;
const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
const json = (schema: JsonSchema) => ({ 'application/json': { schema } });

/**
 * Builds the OpenAPI 3.1 document of the REST routes. Every schema in it is
 * generated from the zod schemas in shared/ (the wire format's one source of
 * truth) with `z.toJSONSchema`; only the routes themselves are listed here.
 * `tasks` (the server's registry, as `engine.tasks()` describes it) makes a
 * definition's task a `oneOf`: each task by name, with its params.
 * `authRequired` adds the bearer scheme to every route but the open ones.
 */
export function buildOpenApiDocument(options: { limits: Limits; authRequired: boolean; version?: string; tasks?: readonly TaskInfo[] }) {
  const { limits, authRequired } = options;
  const schemas = componentSchemas(limits, options.tasks);
  const list = listInputSchemas(limits.maxListLimit).rpc.shape;
  const param = (schema: z.ZodType) => strip(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema);

  const errors = (...statuses: number[]) =>
    Object.fromEntries(statuses.map((s) => [String(s), { description: ERROR_TEXT[s], content: json(ref('ErrorBody')) }]));
  const secured = authRequired ? [401] : [];
  const idParam = { name: 'id', in: 'path', required: true, description: 'Workflow id (as `workflow_id` in the create answer).', schema: param(WorkflowIdSchema) };
  const open = { security: [] };

  return {
    openapi: '3.1.0',
    info: {
      title: 'Flowstate',
      version: options.version ?? '0.1.0',
      description: [
        'A workflow engine: post a definition of steps (sequential or parallel) of tasks, then follow its status.',
        'The same operations, typed and with a live `watch` subscription, are served by tRPC at `/trpc` (see the `flowstate/client` SDK).',
        authRequired
          ? 'Every route but `/health`, `/openapi.json` and `/docs` wants `Authorization: Bearer <API_KEY>`.'
          : 'No API key is configured on this server: every route is open.',
        'Strict: an unknown key at any level (workflow, step, task, params) is rejected naming its path, with the key it was probably meant to be (`steps.0.tasks.1.params.retry_cout: unknown param; did you mean "retry_count"?`). So are numbers JSON would change (beyond 2^53, `1e400`), empty, blank or invisible-only names and lone surrogates.',
        'Errors carry our `error` (`code`, `message`, `issues`) and FastAPI\'s `detail`: a validation error answers **422** with `detail: [{ loc: ["body", ...], msg, type }]`; any other error has `detail` as a string (`"Workflow not found"`).',
        `Limits: body ${limits.maxBodyBytes} bytes, ${limits.maxSteps} steps, ${limits.maxTasksPerStep} tasks per step, ${limits.maxTotalTasks} tasks in all, ${limits.maxParamsBytes} bytes of params per task, names up to ${limits.maxNameLength} characters, pages up to ${limits.maxListLimit} items.`,
      ].join('\n\n'),
    },
    ...(authRequired ? { security: [{ bearerAuth: [] }] } : {}),
    paths: {
      '/api/workflow': {
        get: {
          operationId: 'workflowIdMissing',
          summary: 'Without an id: answers 422 naming the missing `id` (get a workflow at /api/workflow/{id})',
          responses: errors(...secured, 422),
        },
        post: {
          operationId: 'createWorkflow',
          summary: 'Create a workflow and start it (or queue it)',
          requestBody: { required: true, content: { 'application/json': { schema: ref('WorkflowDefinition'), example: SAMPLE_WORKFLOW } } },
          responses: {
            '202': {
              description: 'Accepted: the workflow is stored and starts as soon as a slot is free.',
              headers: { Location: { description: 'Where to get its status.', schema: { type: 'string' } } },
              content: json(ref('CreateWorkflowResponse')),
            },
            ...errors(400, ...secured, 413, 415, 422, 503),
          },
        },
      },
      '/api/workflow/{id}': {
        get: {
          operationId: 'getWorkflow',
          summary: 'Status of one workflow, with every step and task',
          parameters: [idParam],
          responses: { '200': { description: 'The status.', content: json(ref('WorkflowStatus')) }, ...errors(...secured, 404, 422, 503) },
        },
      },
      '/api/workflow/{id}/cancel': {
        post: {
          operationId: 'cancelWorkflow',
          summary: 'Cancel a pending or running workflow (a finished one is returned as is)',
          parameters: [idParam],
          responses: { '200': { description: 'The status after cancelling.', content: json(ref('WorkflowStatus')) }, ...errors(...secured, 404, 409, 422, 503) },
        },
      },
      '/api/workflows': {
        get: {
          operationId: 'listWorkflows',
          summary: 'Workflows, newest first',
          parameters: [
            { name: 'limit', in: 'query', description: 'Page size.', schema: param(list.limit) },
            { name: 'cursor', in: 'query', description: 'The `X-Next-Cursor` of the previous page.', schema: param(z.string().max(128)) },
            { name: 'status', in: 'query', description: 'Only workflows in this state.', schema: ref('WorkflowState') },
            {
              name: 'name',
              in: 'query',
              description:
                'Only workflows whose name contains this text, ignoring case (`etl` finds `Nightly-ETL`); empty = every name. With `status`, both apply. A page may hold fewer than `limit` workflows and still carry `X-Next-Cursor` (each call examines a bounded number of workflows): follow the cursor until it is absent.',
              schema: param(list.name),
            },
          ],
          responses: {
            '200': {
              description: 'A page of workflows (a JSON array).',
              headers: { 'X-Next-Cursor': { description: 'Pass as `cursor` for the next page; absent on the last page.', schema: { type: 'string' } } },
              content: json({ type: 'array', items: ref('WorkflowStatus') }),
            },
            ...errors(...secured, 422, 503),
          },
        },
      },
      '/api/workflow/{id}/events': {
        get: {
          operationId: 'workflowEvents',
          summary: "The workflow's history, oldest first",
          description:
            'One event per change (created, started, each task attempt started / succeeded / failed / retrying, cancelled, skipped, the end). Event ids increase and are the ids of `watch` events. Each workflow keeps its newest `MAX_EVENTS_PER_WORKFLOW` events, which expire with it.',
          parameters: [
            { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
            { name: 'after', in: 'query', description: 'Events after this event id (the `X-Next-Cursor` of the previous page); default 0, from the oldest kept.', schema: param(EventsInputSchema.shape.after) },
            { name: 'limit', in: 'query', description: 'Page size.', schema: param(EventsInputSchema.shape.limit) },
          ],
          responses: {
            '200': {
              description: 'A page of events (a JSON array).',
              headers: { 'X-Next-Cursor': { description: 'Pass as `after` for the next page; absent when no more events are stored.', schema: { type: 'string' } } },
              content: json({ type: 'array', items: ref('WorkflowEvent') }),
            },
            ...errors(400, ...secured, 404, 503),
          },
        },
      },
      '/api/workflow/{id}/machine': {
        get: {
          operationId: 'workflowMachine',
          summary: 'The XState machine the workflow runs as, and where it stands in it',
          description:
            "The machine's definition, XState's `machine.toJSON()` made compact (defaults and repeats left out, eventless `always` transitions added): one state per step (`step1_sequential`, `step2_parallel`), each task a state invoking its `task` actor (a retry waits in a backoff state invoking the `delay` actor), the named guards (`mayRetry`, `isOptional`, `failsStepFast`, `stepBlocked`) and actions of each transition; parallel steps wider than a few tasks invoke `lane` actors that host their tasks. Workflows with the same steps' kinds and widths share one machine. `value` is the current state value (null while the workflow waits to start).",
          parameters: [idParam],
          responses: { '200': { description: 'The machine and the current state value.', content: json(ref('WorkflowMachine')) }, ...errors(...secured, 404, 422, 503) },
        },
      },
      '/api/tasks': {
        get: {
          operationId: 'listTasks',
          summary: 'Registered tasks, with the JSON schema of their params',
          responses: { '200': { description: 'The tasks.', content: json({ type: 'array', items: ref('TaskInfo') }) }, ...errors(...secured) },
        },
      },
      '/health': {
        get: {
          operationId: 'health',
          summary: 'Liveness, the store in use, this process\'s role and load, and the processes of the cluster',
          ...open,
          responses: {
            '200': { description: 'Up.', content: json(ref('Health')) },
            '503': { description: 'Degraded (e.g. Redis configured but unreachable at start, running on memory): `reason` says why.', content: json(ref('Health')) },
          },
        },
      },
      '/openapi.json': {
        get: { operationId: 'openapi', summary: 'This document', ...open, responses: { '200': { description: 'OpenAPI 3.1 JSON.', content: json({ type: 'object' }) } } },
      },
    },
    components: {
      schemas,
      ...(authRequired ? { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'The server\'s API_KEY.' } } } : {}),
    },
  };
}

const ERROR_TEXT: Record<number, string> = {
  400: 'Not JSON: malformed, empty, not UTF-8 or nested too deep (`detail` is a string).',
  401: 'Missing or wrong API key.',
  404: 'No workflow with this id.',
  409: 'The workflow cannot be cancelled here.',
  413: 'The body is over the size limit.',
  422: 'Validation failed: `error.issues` names each field (`steps.0.tasks.1.params.timeout`); `detail` lists them as FastAPI does (`{ loc: ["body", "steps", 0, ...], msg, type }`).',
  415: 'The body is not JSON.',
  503: 'Come back after `Retry-After` (1 s): the store is not reachable, or the server is shutting down; on create also too many workflows wait for a slot (`MAX_QUEUED_WORKFLOWS`) or the server is overloaded (its event loop stalled past `OVERLOAD_STALL_MS`), and nothing was stored.',
};

/** Component schemas, generated from shared/ (inputs as accepted, outputs as sent); `Task` lists the registered tasks. */
function componentSchemas(limits: Limits, tasks: readonly TaskInfo[] | undefined): Record<string, JsonSchema> {
  const inputs = z.registry<{ id: string; description?: string }>();
  const definition = createDefinitionSchema(limits);
  inputs.add(definition, { id: 'WorkflowDefinition', description: 'A workflow definition (the original engine\'s JSON is accepted as is).' });
  inputs.add(ExecutionTypeSchema, { id: 'ExecutionType' });
  inputs.add(PrioritySchema, { id: 'Priority' });

  const outputs = z.registry<{ id: string; description?: string }>();
  outputs.add(CreateResponseSchema.extend({ workflow: WorkflowStatusSchema }), { id: 'CreateWorkflowResponse' });
  outputs.add(WorkflowStatusSchema, { id: 'WorkflowStatus' });
  outputs.add(StepStatusSchema, { id: 'StepStatus' });
  outputs.add(TaskStatusSchema, { id: 'TaskStatus' });
  outputs.add(WorkflowStateSchema, { id: 'WorkflowState' });
  outputs.add(ExecutionTypeSchema, { id: 'ExecutionType' });
  outputs.add(ErrorBodySchema, { id: 'ErrorBody' });
  outputs.add(TaskInfoSchema, { id: 'TaskInfo' });
  outputs.add(HealthSchema, { id: 'Health' });
  outputs.add(WorkflowEventSchema, { id: 'WorkflowEvent' });
  outputs.add(WorkflowMachineSchema, { id: 'WorkflowMachine' });
  outputs.add(StateValueSchema, { id: 'StateValue' });

  const uri = (id: string) => `#/components/schemas/${id}`;
  const generated = {
    ...z.toJSONSchema(outputs, { uri, io: 'output', unrepresentable: 'any' }).schemas,
    ...z.toJSONSchema(inputs, { uri, io: 'input', unrepresentable: 'any' }).schemas,
  };
  const schemas = Object.fromEntries(Object.entries(generated).map(([id, s]) => [id, strip(s as JsonSchema)]));
  if (tasks) schemas.WorkflowDefinition = withRegisteredTasks(schemas.WorkflowDefinition, tasks, limits);
  return schemas;
}

/** The definition with its task item replaced by one variant per registered task. */
function withRegisteredTasks(definition: JsonSchema, tasks: readonly TaskInfo[], limits: Limits): JsonSchema {
  const generic = z.toJSONSchema(createDefinitionSchema(limits), { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const copy = structuredClone(definition);
  const tasksOf = (schema: JsonSchema) => at(schema, 'properties', 'steps', 'items', 'properties', 'tasks');
  tasksOf(copy).items = { oneOf: taskVariantSchemas(tasks, at(tasksOf(generic), 'items')) };
  return copy;
}

/** The sub-schema at `keys` (the generated shape is known: a miss is a bug, so it throws). */
function at(schema: JsonSchema, ...keys: string[]): JsonSchema {
  let node: unknown = schema;
  for (const key of keys) {
    node = typeof node === 'object' && node !== null ? (node as JsonSchema)[key] : undefined;
    if (node === undefined) throw new Error(`OpenAPI: no ${keys.join('.')} in the generated definition schema`);
  }
  return node as JsonSchema;
}

/** Component schemas carry neither `$schema` nor `$id`: the document's dialect applies. */
function strip(schema: JsonSchema): JsonSchema {
  const { $schema: _s, $id: _i, ...rest } = schema;
  return rest;
}
