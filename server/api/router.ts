import { initTRPC, TRPCError, tracked } from '@trpc/server';
import { CancelInputSchema, GetInputSchema, MachineInputSchema, WatchInputSchema } from '../../shared/api.ts';
import { EventsInputSchema } from '../../shared/events.ts';
import type { WorkflowDefinitionInput } from '../../shared/definition.ts';
import { DEFAULT_LIMITS, type Limits } from '../../shared/limits.ts';
import { FlowstateError } from '../errors.ts';
import type { WorkflowEngine } from '../engine/WorkflowEngine.ts';
import type { BuiltinTasks } from '../tasks/registry.ts';
import type { TaskDefinition } from '../tasks/defineTask.ts';
import { hasZodIssues, mapError, toTRPCError, wireIssues } from './errorMapping.ts';
import { trpcTransformer } from './trpcTransformer.ts';
import { health, type HealthInfo } from './health.ts';
import { listInputSchemas } from './listInput.ts';
import type { OverloadGuard } from './overloadGuard.ts';
import { watchStream } from './watchStream.ts';

/** Per-request context: whether the caller presented the API key (always true without one). */
export interface TrpcContext {
  authorized: boolean;
}

/** What the router needs from the server. */
export interface RouterDeps {
  engine: WorkflowEngine;
  limits?: Limits;
  /** What `health` says of this process (role, and why it is degraded, if it is). */
  healthInfo?: HealthInfo;
  /** Refuses creates while the process is overloaded (see overloadGuard.ts). */
  overload?: Pick<OverloadGuard, 'admitCreate'>;
}

/**
 * Builds the tRPC router: `workflow.create | get | list | cancel | events | machine | counts | watch`,
 * `task.list`, `health`. Every procedure but `health` wants the API key.
 * `Tasks` types `workflow.create`'s input: a client typed from this router
 * gets a compile error for an unknown task name or a wrong param. It must be
 * the tasks the engine's registry holds (the engine checks every definition
 * against them at run time).
 */
export function createAppRouter<Tasks extends readonly TaskDefinition[] = BuiltinTasks>({ engine, limits = DEFAULT_LIMITS, healthInfo = { role: 'all' }, overload }: RouterDeps) {
  const t = initTRPC.context<TrpcContext>().create({
    transformer: trpcTransformer,
    // Never put stack traces in responses, whatever NODE_ENV says.
    isDev: false,
    sse: {
      ping: { enabled: true, intervalMs: 10_000 },
      client: { reconnectAfterInactivityMs: 25_000 },
    },
    errorFormatter({ shape, error }) {
      const internal = error.code === 'INTERNAL_SERVER_ERROR';
      const mapped = internal ? undefined : mapError(error);
      return {
        message: internal ? 'internal error' : mapped!.message,
        code: shape.code,
        data: {
          code: shape.data.code,
          httpStatus: shape.data.httpStatus,
          path: shape.data.path,
          /** Our code from the closed table (the SDK reads it before tRPC's). */
          flowstateCode: mapped?.code,
          /** Field-level problems, `path` dotted (`steps.0.tasks.1.params.timeout`). */
          issues: mapped?.issues && wireIssues(mapped.issues),
        },
      };
    },
  });

  // FlowstateError from the engine becomes the TRPCError of the same meaning (NOT_FOUND, ...);
  // a rejected input (tRPC's own zod parse) becomes the same 422 validation error REST answers.
  const mapErrors = t.middleware(async ({ next }) => {
    const result = await next();
    const cause = result.ok ? undefined : result.error.cause;
    if (cause instanceof FlowstateError || hasZodIssues(cause)) throw toTRPCError(cause);
    return result;
  });
  const publicProcedure = t.procedure.use(mapErrors);
  const procedure = publicProcedure.use(({ ctx, next }) => {
    if (!ctx.authorized) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'missing or wrong API key' });
    return next();
  });

  const list = listInputSchemas(limits.maxListLimit).rpc;
  // Typed here, checked by the engine: one parse, by the schema its registry builds
  // (unknown keys, each task's params, bounds), whose issues name every field.
  const definition = (raw: unknown) => raw as WorkflowDefinitionInput<Tasks>;

  return t.router({
    health: publicProcedure.query(() => health(engine, healthInfo)),
    task: t.router({
      list: procedure.query(() => engine.tasks()),
    }),
    workflow: t.router({
      create: procedure.input(definition).mutation(({ input }) => {
        overload?.admitCreate();
        return engine.create(input);
      }),
      get: procedure.input(GetInputSchema).query(({ input }) => engine.get(input.id)),
      list: procedure.input(list).query(({ input }) => engine.list(input)),
      cancel: procedure.input(CancelInputSchema).mutation(({ input }) => engine.cancel(input.id)),
      /** The workflow's history, oldest first: `after` an event id, `next_cursor` while more remain. */
      events: procedure.input(EventsInputSchema).query(({ input }) => engine.events(input.id, input.after, input.limit)),
      /** The XState machine the workflow runs as (`machine.toJSON()`) and its current state value. */
      machine: procedure.input(MachineInputSchema).query(({ input }) => engine.machine(input.id)),
      /** How many workflows are in each state, across the whole store. */
      counts: procedure.query(() => engine.counts()),
      /**
       * Streams the workflow's status: now, then every change, ending after
       * the terminal one. Each event carries an id, so a reconnecting client
       * (which sends `lastEventId`) resumes where it left off.
       */
      watch: procedure.input(WatchInputSchema).subscription(async function* ({ input, signal }) {
        try {
          for await (const event of watchStream(engine, input.id, input.lastEventId, signal)) {
            yield tracked(event.id, event.status);
          }
        } catch (error) {
          throw toTRPCError(error);
        }
      }),
    }),
  });
}

/**
 * The router's type: what `@trpc/client` and the SDK are typed from.
 * `AppRouter` is the built-in server's; `AppRouter<typeof myTasks>` a server
 * whose registry holds `myTasks`.
 */
export type AppRouter<Tasks extends readonly TaskDefinition[] = BuiltinTasks> = ReturnType<typeof createAppRouter<Tasks>>;

/**
 * The router of a `createFlowstate({ tasks })` app: its own tasks plus the
 * built-ins (`FlowstateAppRouter<typeof myTasks, false>` with `builtins: false`).
 * Type a client with it: `createWorkflowClient<FlowstateAppRouter<typeof myTasks>>(…)`.
 */
export type FlowstateAppRouter<Tasks extends readonly TaskDefinition[], WithBuiltins extends boolean = true> = AppRouter<
  WithBuiltins extends true ? readonly [...BuiltinTasks, ...Tasks] : Tasks
>;
