import type { IncomingMessage, ServerResponse } from 'node:http';
import { WorkflowIdSchema, type CreateResponse } from '../../shared/api.ts';
import type { Limits } from '../../shared/limits.ts';
import type { WorkflowStatus } from '../../shared/status.ts';
import { badRequest, FlowstateError, issuesFromZod } from '../errors.ts';
import type { WorkflowEngine } from '../engine/WorkflowEngine.ts';
import { EventsInputSchema } from '../../shared/events.ts';
import { listInputSchemas } from './listInput.ts';
import type { OverloadGuard } from './overloadGuard.ts';
import { readJsonBody } from './readJsonBody.ts';
import { sendJson } from './respond.ts';

/** Handles one matched request; `params` are the route pattern's captures. */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse, params: string[], url: URL) => Promise<void> | void;

/** A path pattern and the handler of each method it accepts. */
export interface Route {
  pattern: RegExp;
  methods: Partial<Record<'GET' | 'POST', RouteHandler>>;
  /** Served without the API key. */
  public?: boolean;
}

/** The 202 body of `POST /api/workflow`: the original engine's three fields, plus the full status. */
export type CreateWorkflowResponse = CreateResponse & { workflow: WorkflowStatus };

/**
 * The REST routes, shaped like the original engine's so its curl users switch
 * by changing the URL: create, get, list (a JSON array, next cursor in
 * `X-Next-Cursor`), cancel, and the registered tasks; plus a workflow's
 * history and its XState machine.
 */
export function restRoutes(engine: WorkflowEngine, limits: Limits, overload?: Pick<OverloadGuard, 'admitCreate'>): Route[] {
  const listQuery = listInputSchemas(limits.maxListLimit).query;

  return [
    {
      pattern: /^\/api\/workflow$/,
      methods: {
        // `GET /api/workflow/` (the id left out) lands here once the slash is trimmed: say so.
        GET() {
          const message = 'the workflow id is missing: GET /api/workflow/{id} (GET /api/workflows lists workflows)';
          throw new FlowstateError('BAD_REQUEST', message, { issues: [{ path: 'id', message: 'is missing', loc: ['path', 'id'], type: 'missing' }] });
        },
        async POST(req, res) {
          // Before the body is read: a refusal must cost far less than a create.
          overload?.admitCreate();
          const body = await readJsonBody(req, limits.maxBodyBytes);
          const status = await engine.create(body);
          const answer: CreateWorkflowResponse = {
            workflow_id: status.id,
            status: status.status,
            message: `Workflow "${status.name}" accepted`,
            workflow: status,
          };
          sendJson(res, 202, answer, { location: `/api/workflow/${status.id}` });
        },
      },
    },
    {
      pattern: /^\/api\/workflow\/([^/]+)$/,
      methods: {
        async GET(_req, res, [rawId]) {
          sendJson(res, 200, await engine.get(workflowId(rawId)).catch(asWorkflowNotFound));
        },
      },
    },
    {
      pattern: /^\/api\/workflow\/([^/]+)\/cancel$/,
      methods: {
        async POST(_req, res, [rawId]) {
          sendJson(res, 200, await engine.cancel(workflowId(rawId)).catch(asWorkflowNotFound));
        },
      },
    },
    {
      pattern: /^\/api\/workflow\/([^/]+)\/machine$/,
      methods: {
        async GET(_req, res, [rawId]) {
          sendJson(res, 200, await engine.machine(workflowId(rawId)).catch(asWorkflowNotFound));
        },
      },
    },
    {
      pattern: /^\/api\/workflow\/([^/]+)\/events$/,
      methods: {
        async GET(_req, res, [rawId], url) {
          const query: Record<string, string> = { id: workflowId(rawId) };
          for (const key of ['after', 'limit'] as const) {
            const value = url.searchParams.get(key);
            if (value !== null) query[key] = value;
          }
          const parsed = EventsInputSchema.safeParse(query);
          if (!parsed.success) throw badRequest(issuesFromZod(parsed.error.issues));
          const page = await engine.events(parsed.data.id, parsed.data.after, parsed.data.limit);
          sendJson(res, 200, page.items, page.next_cursor ? { 'x-next-cursor': page.next_cursor } : {});
        },
      },
    },
    {
      pattern: /^\/api\/workflows$/,
      methods: {
        async GET(_req, res, _params, url) {
          const query: Record<string, string> = {};
          for (const key of ['limit', 'cursor', 'status', 'name'] as const) {
            const value = url.searchParams.get(key);
            if (value !== null) query[key] = value;
          }
          const parsed = listQuery.safeParse(query);
          if (!parsed.success) throw badRequest(issuesFromZod(parsed.error.issues, [], { source: 'query' }));
          const page = await engine.list(parsed.data);
          sendJson(res, 200, page.items, page.next_cursor ? { 'x-next-cursor': page.next_cursor } : {});
        },
      },
    },
    {
      pattern: /^\/api\/tasks$/,
      methods: {
        GET(_req, res) {
          sendJson(res, 200, engine.tasks());
        },
      },
    },
  ];
}

/** Decodes and checks a workflow id from the path; BAD_REQUEST (issue path `id`) when it is not one. */
function workflowId(raw: string): string {
  let id: string;
  try {
    id = decodeURIComponent(raw);
  } catch (cause) {
    throw new FlowstateError('BAD_REQUEST', 'id: malformed percent-encoding', { cause, issues: [{ path: 'id', message: 'malformed percent-encoding', loc: ['path', 'id'] }] });
  }
  const parsed = WorkflowIdSchema.safeParse(id);
  if (!parsed.success) throw badRequest(issuesFromZod(parsed.error.issues, ['id'], { source: 'path' }));
  return parsed.data;
}

/** The original engine's 404 said `"detail": "Workflow not found"`; its clients may read exactly that. */
function asWorkflowNotFound(error: unknown): never {
  if (error instanceof FlowstateError && error.code === 'NOT_FOUND') {
    throw new FlowstateError('NOT_FOUND', error.message, { cause: error, detail: 'Workflow not found' });
  }
  throw error;
}
