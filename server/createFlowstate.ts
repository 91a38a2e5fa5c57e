import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import type { Limits } from '../shared/limits.ts';
import type { WorkflowDefinition } from '../shared/definition.ts';
import { createHttpServer } from './api/httpServer.ts';
import { loadConfig, type Config } from './config.ts';
import { openCluster } from './cluster/openCluster.ts';
import { createEngine } from './engine/createEngine.ts';
import type { WorkflowEngine } from './engine/WorkflowEngine.ts';
import { createLogger } from './logger.ts';
import { openWorkflowInspector } from './engine/machine/index.ts';
import { openStore } from './store/openStore.ts';
import type { TaskDefinition } from './tasks/defineTask.ts';
import { createBuiltinTasks, TaskRegistry } from './tasks/registry.ts';
import type { FlowstateAppRouter } from './api/router.ts';

/** Settings of {@link createFlowstate}; each one left out is read from its environment variable. */
export type FlowstateSettings = Partial<Omit<Config, 'limits'>> & { limits?: Partial<Limits> };

/** Options of {@link createFlowstate}. */
export type FlowstateOptions<Tasks extends readonly TaskDefinition[] = readonly TaskDefinition[], Builtins extends boolean = boolean> = FlowstateSettings & {
  /** Your tasks, made with `defineTask`. A name may be registered once. */
  tasks?: Tasks;
  /** Include the built-in tasks (`task_a`…`task_c`, `sleep`, `fail`, `echo`, `http`); default true. */
  builtins?: Builtins;
  /** Where unset settings are read from (default `process.env`). */
  env?: Record<string, string | undefined>;
};

/** The engine, in-process: the same calls as the API, without HTTP. */
export interface FlowstateEngine {
  /** Which store holds workflows (`redis`, or `memory` when none is configured or it did not answer). */
  readonly storeKind: 'memory' | 'redis';
  /** Validates, stores and starts (or queues) a workflow; throws FlowstateError (BAD_REQUEST…) on a bad one. */
  create(definition: WorkflowDefinition): Promise<Awaited<ReturnType<WorkflowEngine['create']>>>;
  /** The current status; NOT_FOUND if unknown. */
  get: WorkflowEngine['get'];
  /** Newest first: `{ items, next_cursor }`. */
  list: WorkflowEngine['list'];
  /** Cancels a pending or running workflow; a finished one comes back as it is. */
  cancel: WorkflowEngine['cancel'];
  /** Calls the listener with every status change of a workflow from now on; returns the unsubscribe. */
  subscribe: WorkflowEngine['subscribe'];
  /** The registered tasks with their param schemas. */
  tasks: WorkflowEngine['tasks'];
}

/**
 * The tRPC router type of an app, for a client typed by its tasks:
 * `createWorkflowClient<AppRouterOf<typeof app>>(…)` makes an unknown task or a wrong param a compile
 * error. The same as `FlowstateAppRouter<typeof tasks, builtins>`, read off the app.
 */
export type AppRouterOf<App> = App extends FlowstateApp<infer Tasks, infer Builtins> ? FlowstateAppRouter<Tasks, Builtins> : never;

/** A Flowstate server in your process. */
export interface FlowstateApp<Tasks extends readonly TaskDefinition[] = readonly TaskDefinition[], Builtins extends boolean = boolean> {
  /** The settings in force (options over environment over defaults). */
  readonly config: Readonly<Config>;
  /** Create / get / list / cancel / subscribe in-process. */
  readonly engine: FlowstateEngine;
  /** The tasks you passed (not the built-ins): what a typed router is derived from. */
  readonly tasks: Tasks;
  /** Whether the built-in tasks run too. */
  readonly builtins: Builtins;
  /** This process's id in the cluster (on Redis, where every process is one); undefined on memory. */
  readonly processId?: string;
  /** Serves the API, docs and dashboard; resolves with the URL (`port: 0` picks a free port). */
  listen(options?: { port?: number; host?: string }): Promise<string>;
  /** Drains as SIGTERM does: stops listening, lets running tasks finish within the grace period, persists, closes the store. */
  close(): Promise<void>;
}

// Settings map onto their environment variables so both are checked by the same rules (loadConfig).
const SETTING_ENV = {
  port: 'PORT',
  host: 'HOST',
  redisUrl: 'REDIS_URL',
  redisPrefix: 'REDIS_PREFIX',
  redisConnectTimeoutMs: 'REDIS_CONNECT_TIMEOUT_MS',
  maxConcurrentWorkflows: 'MAX_CONCURRENT_WORKFLOWS',
  maxQueuedWorkflows: 'MAX_QUEUED_WORKFLOWS',
  overloadStallMs: 'OVERLOAD_STALL_MS',
  apiKey: 'API_KEY',
  logLevel: 'LOG_LEVEL',
  retentionSeconds: 'RETENTION_SECONDS',
  shutdownGraceMs: 'SHUTDOWN_GRACE_MS',
  role: 'ROLE',
  redisFallback: 'REDIS_FALLBACK',
  lockDurationMs: 'LOCK_DURATION_MS',
  stalledIntervalMs: 'STALLED_INTERVAL_MS',
  maxEventsPerWorkflow: 'MAX_EVENTS_PER_WORKFLOW',
  httpTaskAllow: 'HTTP_TASK_ALLOW',
  xstateInspect: 'XSTATE_INSPECT',
} as const satisfies Record<keyof Omit<Config, 'limits'>, string>;
const LIMIT_ENV = {
  maxSteps: 'MAX_STEPS',
  maxTasksPerStep: 'MAX_TASKS_PER_STEP',
  maxTotalTasks: 'MAX_TOTAL_TASKS',
  maxParamsBytes: 'MAX_PARAMS_BYTES',
  maxNameLength: 'MAX_NAME_LENGTH',
  maxBodyBytes: 'MAX_BODY_BYTES',
  maxListLimit: 'MAX_LIST_LIMIT',
} as const satisfies Record<keyof Limits, string>;

const setting = z.union([z.string(), z.number(), z.boolean()]).optional();
const OptionsSchema = z
  .object({
    ...Object.fromEntries(Object.keys(SETTING_ENV).map((k) => [k, setting])),
    limits: z.strictObject(Object.fromEntries(Object.keys(LIMIT_ENV).map((k) => [k, z.number().optional()]))).optional(),
    tasks: z
      .array(z.object({ name: z.string(), params: z.custom<z.ZodType>(isZodSchema, 'must be a zod schema'), run: z.function() }, { error: 'must be made with defineTask' }))
      .max(10_000)
      .optional(),
    builtins: z.boolean().optional(),
    env: z.record(z.string(), z.string().optional()).optional(),
  })
  .strict();

/**
 * Builds Flowstate in your process: config → store → engine (unfinished
 * workflows resume) → HTTP on `listen()`. Settings default from the same
 * environment variables as `npm start`; bad ones throw ConfigError naming the
 * variable.
 *
 * @example
 * const app = await createFlowstate({ tasks: [resizeTask] });
 * console.log(await app.listen({ port: 8000 }));
 */
export async function createFlowstate<const Tasks extends readonly TaskDefinition[] = [], const Builtins extends boolean = true>(
  options: FlowstateOptions<Tasks, Builtins> = {},
): Promise<FlowstateApp<Tasks, Builtins>> {
  const parsed = OptionsSchema.safeParse(options);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(options)'}: ${i.message}`);
    throw new TypeError(`createFlowstate: ${problems.join('; ')}`);
  }
  const { tasks = [] as unknown as Tasks, builtins = true as Builtins, env = process.env, limits = {}, ...settings } = options;
  const config = loadConfig({ ...env, ...asEnv(settings, SETTING_ENV), ...asEnv(limits, LIMIT_ENV) });
  // Explicitly set to undefined means "memory store", even when REDIS_URL is in the environment.
  if ('redisUrl' in settings && settings.redisUrl === undefined) config.redisUrl = undefined;
  const registry = new TaskRegistry([...(builtins ? createBuiltinTasks(config) : []), ...(tasks as readonly TaskDefinition[])]);

  const logger = createLogger(config.logLevel);
  if (config.apiKey && config.apiKey.length < 16) logger.warn('API_KEY is shorter than 16 characters; use a long random key');

  let degradedReason: string | undefined;
  const store = await openStore({
    redisUrl: config.redisUrl,
    redisPrefix: config.redisPrefix,
    retentionSeconds: config.retentionSeconds,
    connectTimeoutMs: config.redisConnectTimeoutMs,
    maxEvents: config.maxEventsPerWorkflow,
    // Only the default process may run on memory instead; its /health then says why it is degraded.
    fallback: config.role === 'all' && config.redisFallback,
    onFallback: (reason) => (degradedReason = `${reason}; running on the in-memory store`),
    logger,
  });
  const cluster = openCluster(config, store, logger);
  const inspector = config.xstateInspect ? await openWorkflowInspector(config.xstateInspect, logger) : undefined;
  const engine = createEngine({
    store,
    registry,
    maxConcurrentWorkflows: config.maxConcurrentWorkflows,
    maxQueuedWorkflows: config.maxQueuedWorkflows,
    limits: config.limits,
    logger,
    cluster,
    runWorkflows: config.role !== 'api',
    maxEventsPerWorkflow: config.maxEventsPerWorkflow,
    inspect: inspector?.inspect,
  });
  await engine.start();

  let server: Server | undefined;
  let closing: Promise<void> | undefined;
  return {
    config,
    tasks,
    builtins,
    processId: cluster?.processId,
    engine: {
      storeKind: engine.storeKind,
      create: (definition) => engine.create(definition),
      get: (id) => engine.get(id),
      list: (input) => engine.list(input),
      cancel: (id) => engine.cancel(id),
      subscribe: (id, listener) => engine.subscribe(id, listener),
      tasks: () => engine.tasks(),
    },
    async listen({ port = config.port, host = config.host } = {}) {
      if (closing) throw new Error('createFlowstate: listen() after close()');
      if (server) throw new Error('createFlowstate: listen() was already called');
      server = createHttpServer({ engine, config, logger, healthInfo: { role: config.role, degradedReason } });
      await listenOn(server, port, host);
      const address = server.address() as AddressInfo;
      return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
    },
    close() {
      closing ??= drain(server, engine, config.shutdownGraceMs)
        .then(() => store.close())
        .finally(() => inspector?.stop());
      return closing;
    },
  };
}

// Duck-typed: the app's zod may be another copy than ours, so `instanceof` would refuse it.
function isZodSchema(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as { safeParse?: unknown }).safeParse === 'function';
}

function asEnv(values: object, names: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined && key in names) env[names[key]] = String(value);
  }
  return env;
}

function listenOn(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** No new connections; running tasks get `graceMs`; then every connection (watch streams too) is closed. */
async function drain(server: Server | undefined, engine: WorkflowEngine, graceMs: number): Promise<void> {
  const closed = server?.listening ? new Promise<void>((resolve) => server.close(() => resolve())) : undefined;
  server?.closeIdleConnections();
  await engine.stop({ graceMs });
  // Watch streams and keep-alive sockets would hold close() open forever.
  server?.closeAllConnections();
  await closed;
}

