import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink, type TRPCClient } from '@trpc/client';
import { EventSource } from 'eventsource';
import superjson from 'superjson';
import { z } from 'zod';
import type { inferRouterInputs } from '@trpc/server';
import type { AppRouter } from '../server/api/router.ts';
import type { TaskDefinition } from '../server/tasks/defineTask.ts';
import type { WorkflowPage, WorkflowState, WorkflowStatus } from '../shared/status.ts';
import type { EventPage } from '../shared/events.ts';
import type { WorkflowMachineInfo } from '../shared/machine.ts';
import type { TaskInfo } from '../shared/api.ts';
import { FlowstateClientError, toClientError } from './errors.ts';
import { waitForWorkflow, type WaitOptions } from './waitForWorkflow.ts';
import { watchWorkflow, type Unsubscribe, type WatchOptions } from './watchWorkflow.ts';

/** A `fetch` the client can use instead of the global one (proxies, custom agents, tests). */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** Options of {@link createWorkflowClient}. */
export interface WorkflowClientOptions {
  /** The server's base URL, e.g. `http://127.0.0.1:8000` (tRPC lives under `/trpc`). */
  url: string;
  /** Sent as `Authorization: Bearer <apiKey>` on every call, the SSE stream included. */
  apiKey?: string;
  /** Replaces the global `fetch` for calls and for the SSE stream. */
  fetch?: FetchLike;
}

/** Options of `list`. */
export interface ListOptions {
  /** Page size (server default 50). */
  limit?: number;
  /** `next_cursor` of the previous page. */
  cursor?: string;
  /** Only workflows in this state. */
  status?: WorkflowState;
  /**
   * Only workflows whose name contains this text, ignoring case (at most 200
   * characters). A page may then hold fewer than `limit` workflows and still
   * have a `next_cursor`: the server examines a bounded number per call.
   */
  name?: string;
}

/** The router of any Flowstate server, whatever tasks it registers. */
export type FlowstateRouter = AppRouter<readonly TaskDefinition[]>;

/** The definition `create` takes on a server typed `R`: its task names, each with its params. */
export type DefinitionFor<R extends FlowstateRouter = AppRouter> = inferRouterInputs<R>['workflow']['create'];

/**
 * The SDK: typed calls over tRPC, plus `wait` and `watch` built on the SSE
 * subscription. `R` is the server's router type (`AppRouter` for the built-in
 * server, `AppRouter<typeof myTasks>` for your own): an unknown task name or
 * a wrong param in `create` is a compile error.
 */
export interface WorkflowClient<R extends FlowstateRouter = AppRouter> {
  /** Validates, stores and starts (or queues) a workflow; resolves with its status (`id` included). */
  create(definition: DefinitionFor<R>): Promise<WorkflowStatus>;
  /** The current status of a workflow; rejects with code `NOT_FOUND` if unknown. */
  get(id: string): Promise<WorkflowStatus>;
  /** A page of workflows, newest first: `{ items, next_cursor }`. */
  list(options?: ListOptions): Promise<WorkflowPage>;
  /** Cancels a pending or running workflow; a finished one comes back as it is. */
  cancel(id: string): Promise<WorkflowStatus>;
  /** The workflow's history, oldest first: `{ items, next_cursor }`; pass `next_cursor` as `after` for more. */
  events(id: string, options?: { after?: number; limit?: number }): Promise<EventPage>;
  /** How many workflows the server's store holds in each state. */
  counts(): Promise<Record<WorkflowState, number>>;
  /**
   * The XState machine the workflow runs as (`machine`: its `toJSON()`
   * definition, to draw or inspect) and where it stands in it (`value`);
   * rejects with code `NOT_FOUND` if unknown.
   */
  machine(id: string): Promise<WorkflowMachineInfo>;
  /** The tasks the server can run, with their param schemas. */
  tasks(): Promise<TaskInfo[]>;
  /** Resolves with the final status; rejects with `WaitTimeoutError` (code `TIMEOUT`) after `timeoutMs`. */
  wait(id: string, options?: WaitOptions): Promise<WorkflowStatus>;
  /** Calls `onChange` with every new status until the workflow ends; returns the unsubscribe. */
  watch(id: string, onChange: (status: WorkflowStatus) => void, options?: WatchOptions): Unsubscribe;
  /** The raw typed tRPC client, for anything the methods above do not cover. */
  trpc: TRPCClient<R>;
}

const OptionsSchema = z.object({
  url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as http://127.0.0.1:8000' }).max(2048),
  apiKey: z.string().min(1).max(4096).optional(),
  fetch: z.custom<FetchLike>((v) => typeof v === 'function', 'must be a function').optional(),
});

/** Calls the server, turning any failure into a FlowstateClientError. */
async function call<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw toClientError(err);
  }
}

/**
 * Connects to a Flowstate server. Nothing is sent until the first call.
 *
 * @example
 * const wf = createWorkflowClient({ url: 'http://127.0.0.1:8000', apiKey: process.env.FLOWSTATE_API_KEY });
 * const { id } = await wf.create(definition);
 * const final = await wf.wait(id, { timeoutMs: 60_000 });
 */
export function createWorkflowClient<R extends FlowstateRouter = AppRouter>(options: WorkflowClientOptions): WorkflowClient<R> {
  const parsed = OptionsSchema.safeParse(options);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message }));
    throw new FlowstateClientError('BAD_REQUEST', issues.map((i) => `${i.path}: ${i.message}`).join('; '), { issues });
  }
  const { apiKey } = parsed.data;
  const trpcUrl = parsed.data.url.replace(/\/+$/, '') + '/trpc';
  const baseFetch: FetchLike = parsed.data.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const authHeaders = (): Record<string, string> => (apiKey ? { authorization: `Bearer ${apiKey}` } : {});

  // EventSource cannot set headers itself; its `fetch` hook is how the key reaches the stream.
  const sseFetch: FetchLike = (input, init) => {
    const headers = new Headers(init?.headers);
    for (const [k, v] of Object.entries(authHeaders())) headers.set(k, v);
    return baseFetch(input, { ...init, headers });
  };

  // Built for any server's router; `R` narrows only the types the caller sees.
  const trpc = createTRPCClient<FlowstateRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({
          url: trpcUrl,
          transformer: superjson,
          EventSource,
          eventSourceOptions: () => ({ fetch: sseFetch }),
        }),
        false: httpBatchLink({ url: trpcUrl, transformer: superjson, headers: authHeaders, fetch: baseFetch, maxURLLength: 4000 }),
      }),
    ],
  });

  const get = (id: string) => call(() => trpc.workflow.get.query({ id }));

  const watch: WorkflowClient['watch'] = (id, onChange, watchOptions) =>
    watchWorkflow(
      {
        get,
        subscribe: (workflowId, handlers) => trpc.workflow.watch.subscribe({ id: workflowId }, handlers),
      },
      id,
      onChange,
      watchOptions,
    );

  const client: WorkflowClient<FlowstateRouter> = {
    create: (definition) => call(() => trpc.workflow.create.mutate(definition)),
    get,
    list: (listOptions = {}) => call(() => trpc.workflow.list.query(listOptions)),
    cancel: (id) => call(() => trpc.workflow.cancel.mutate({ id })),
    events: (id, eventOptions = {}) => call(() => trpc.workflow.events.query({ id, ...eventOptions })),
    counts: () => call(() => trpc.workflow.counts.query()),
    machine: (id) => call(() => trpc.workflow.machine.query({ id })),
    tasks: () => call(() => trpc.task.list.query()),
    wait: (id, waitOptions) => waitForWorkflow(watch, id, waitOptions),
    watch,
    trpc,
  };
  return client as unknown as WorkflowClient<R>;
}
