import { z } from 'zod';
import { DEFAULT_LIMITS, type Limits } from '../shared/limits.ts';
import { ConfigError } from './errors.ts';
import { LOG_LEVELS, type LogLevel } from './logger.ts';
import { parseHttpAllowList } from './tasks/httpAllowList.ts';

/** The server's settings, read once from the environment at start. */
export interface Config {
  port: number;
  host: string;
  /** Full Redis URL; undefined means the memory store. */
  redisUrl?: string;
  redisPrefix: string;
  /** How long start-up waits for Redis before falling back to memory. */
  redisConnectTimeoutMs: number;
  maxConcurrentWorkflows: number;
  /** Memory store: workflows waiting for a slot before create answers 503 with Retry-After. */
  maxQueuedWorkflows: number;
  /** Create answers 503 with Retry-After while the event loop has been stalled longer than this (ms); 0 never. */
  overloadStallMs: number;
  /** When set, every route but /health (and the docs) wants `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  logLevel: LogLevel | 'silent';
  /** Finished workflows expire after this many seconds; undefined keeps them forever. */
  retentionSeconds?: number;
  /** How long SIGTERM lets running tasks finish before they are aborted and persisted. */
  shutdownGraceMs: number;
  /** `all`: serve the API and run workflows; `api`: serve only; `worker`: run only (HTTP serves /health). */
  role: Role;
  /** With Redis configured but unreachable at start: run on memory (true, `all` only) or exit. */
  redisFallback: boolean;
  /** BullMQ job lock: a dead process's workflows move on within about lockDurationMs + stalledIntervalMs. */
  lockDurationMs: number;
  stalledIntervalMs: number;
  /** Events kept in each workflow's history. */
  maxEventsPerWorkflow: number;
  /**
   * `HTTP_TASK_ALLOW`: where the built-in `http` task may send requests,
   * comma-separated hosts or URL prefixes; unset, anywhere (set it on a shared deployment).
   */
  httpTaskAllow?: string;
  /**
   * `XSTATE_INSPECT`: a `ws://` or `wss://` URL of a Stately inspector relay;
   * when set, every workflow actor reports its events and snapshots there (a
   * development aid, off by default).
   */
  xstateInspect?: string;
  limits: Limits;
}

/** What a process does in a cluster (see Config.role). */
export const ROLES = ['all', 'api', 'worker'] as const;
export type Role = (typeof ROLES)[number];

const int = (min: number, max: number) =>
  z.coerce
    .number({ error: 'must be a whole number' })
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);
const bool = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'], { message: 'must be one of 1, 0, true, false, yes, no, on, off' })
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));
const printable = (max: number) => z.string().max(max).regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces');

/** Every variable the server reads; the test helper strips these from an inherited environment. */
const EnvSchema = z.object({
  PORT: int(0, 65_535).default(8000),
  HOST: z.string().min(1).max(255).default('127.0.0.1'),
  REDIS_URL: z.url({ protocol: /^rediss?$/, message: 'must be a redis:// or rediss:// URL' }).optional(),
  REDIS_HOST: z.string().min(1).max(255).regex(/^[A-Za-z0-9.:_-]+$/, 'must be a host name or address').optional(),
  REDIS_PORT: int(1, 65_535).optional(),
  REDIS_PASSWORD: z.string().max(1024).optional(),
  REDIS_PREFIX: printable(64).default('flowstate:'),
  REDIS_CONNECT_TIMEOUT_MS: int(100, 60_000).default(2000),
  MAX_CONCURRENT_WORKFLOWS: int(1, 100_000).default(1000),
  MAX_QUEUED_WORKFLOWS: int(1, 10_000_000).default(100_000),
  OVERLOAD_STALL_MS: int(0, 600_000).default(500),
  API_KEY: z.string().min(1).max(4096).regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces').optional(),
  DEBUG: bool.optional(),
  LOG_LEVEL: z.enum([...LOG_LEVELS, 'silent']).optional(),
  RETENTION_SECONDS: int(1, 10 * 365 * 86_400).optional(),
  SHUTDOWN_GRACE_MS: int(0, 3_600_000).default(10_000),
  ROLE: z.enum(ROLES, { message: 'must be all, api or worker' }).default('all'),
  REDIS_FALLBACK: bool.default(true),
  LOCK_DURATION_MS: int(500, 600_000).default(10_000),
  STALLED_INTERVAL_MS: int(200, 600_000).default(5_000),
  MAX_EVENTS_PER_WORKFLOW: int(10, 1_000_000).default(10_000),
  MAX_STEPS: int(1, 10_000).default(DEFAULT_LIMITS.maxSteps),
  MAX_TASKS_PER_STEP: int(1, 100_000).default(DEFAULT_LIMITS.maxTasksPerStep),
  MAX_TOTAL_TASKS: int(1, 1_000_000).default(DEFAULT_LIMITS.maxTotalTasks),
  MAX_PARAMS_BYTES: int(2, 16 * 1024 * 1024).default(DEFAULT_LIMITS.maxParamsBytes),
  MAX_NAME_LENGTH: int(1, 4096).default(DEFAULT_LIMITS.maxNameLength),
  MAX_BODY_BYTES: int(64, 256 * 1024 * 1024).default(DEFAULT_LIMITS.maxBodyBytes),
  MAX_LIST_LIMIT: int(1, 10_000).default(DEFAULT_LIMITS.maxListLimit),
  HTTP_TASK_ALLOW: z
    .string()
    .max(16_384)
    .superRefine((text, ctx) => {
      const parsed = parseHttpAllowList(text);
      if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.problems.join('; ') });
    })
    .optional(),
  XSTATE_INSPECT: z.url({ protocol: /^wss?$/, message: 'must be a ws:// or wss:// URL (the Stately inspector relay, e.g. ws://localhost:8080)' }).max(2048).optional(),
});

/** Names of every environment variable the server reads. */
export const CONFIG_ENV_KEYS = Object.keys(EnvSchema.shape) as ReadonlyArray<keyof typeof EnvSchema.shape>;

/**
 * Reads and validates the configuration. Empty values count as unset (as
 * docker-compose leaves them). Throws {@link ConfigError} naming every bad variable.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const raw: Record<string, string> = {};
  for (const key of CONFIG_ENV_KEYS) {
    const value = env[key];
    if (value !== undefined && value.trim() !== '') raw[key] = value.trim();
  }
  const parsed = EnvSchema.safeParse(raw);
  if (!parsed.success) {
    // API_KEY and REDIS_PASSWORD are secrets: name them, never echo what was given.
    const problems = parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`);
    const variables = parsed.error.issues.map((i) => String(i.path[0]));
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`, variables);
  }
  const e = parsed.data;
  if (e.REDIS_URL && (e.REDIS_HOST || e.REDIS_PORT || e.REDIS_PASSWORD)) {
    throw new ConfigError('invalid configuration: set REDIS_URL or REDIS_HOST/REDIS_PORT/REDIS_PASSWORD, not both', ['REDIS_URL']);
  }
  if (e.REDIS_PASSWORD && !e.REDIS_HOST && !e.REDIS_PORT) {
    throw new ConfigError('invalid configuration: REDIS_PASSWORD is set without REDIS_HOST or REDIS_PORT', ['REDIS_PASSWORD']);
  }
  if (e.ROLE !== 'all' && !e.REDIS_URL && !e.REDIS_HOST && !e.REDIS_PORT) {
    throw new ConfigError(`invalid configuration: ROLE=${e.ROLE} needs Redis (REDIS_URL): processes share work only through it`, ['ROLE']);
  }
  if (e.MAX_TASKS_PER_STEP > e.MAX_TOTAL_TASKS) {
    throw new ConfigError('invalid configuration: MAX_TASKS_PER_STEP must not exceed MAX_TOTAL_TASKS', ['MAX_TASKS_PER_STEP']);
  }
  if (e.MAX_PARAMS_BYTES > e.MAX_BODY_BYTES) {
    throw new ConfigError('invalid configuration: MAX_PARAMS_BYTES must not exceed MAX_BODY_BYTES', ['MAX_PARAMS_BYTES']);
  }

  return {
    port: e.PORT,
    host: e.HOST,
    redisUrl: e.REDIS_URL ?? buildRedisUrl(e.REDIS_HOST, e.REDIS_PORT, e.REDIS_PASSWORD),
    redisPrefix: e.REDIS_PREFIX,
    redisConnectTimeoutMs: e.REDIS_CONNECT_TIMEOUT_MS,
    maxConcurrentWorkflows: e.MAX_CONCURRENT_WORKFLOWS,
    maxQueuedWorkflows: e.MAX_QUEUED_WORKFLOWS,
    overloadStallMs: e.OVERLOAD_STALL_MS,
    apiKey: e.API_KEY,
    // DEBUG=1 is the short way to say LOG_LEVEL=debug; an explicit LOG_LEVEL wins.
    logLevel: e.LOG_LEVEL ?? (e.DEBUG ? 'debug' : 'info'),
    retentionSeconds: e.RETENTION_SECONDS,
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    role: e.ROLE,
    redisFallback: e.REDIS_FALLBACK,
    lockDurationMs: e.LOCK_DURATION_MS,
    stalledIntervalMs: e.STALLED_INTERVAL_MS,
    maxEventsPerWorkflow: e.MAX_EVENTS_PER_WORKFLOW,
    httpTaskAllow: e.HTTP_TASK_ALLOW,
    xstateInspect: e.XSTATE_INSPECT,
    limits: {
      maxSteps: e.MAX_STEPS,
      maxTasksPerStep: e.MAX_TASKS_PER_STEP,
      maxTotalTasks: e.MAX_TOTAL_TASKS,
      maxParamsBytes: e.MAX_PARAMS_BYTES,
      maxNameLength: e.MAX_NAME_LENGTH,
      maxBodyBytes: e.MAX_BODY_BYTES,
      maxListLimit: e.MAX_LIST_LIMIT,
    },
  };
}

function buildRedisUrl(host?: string, port?: number, password?: string): string | undefined {
  if (!host && !port) return undefined;
  const auth = password ? `:${encodeURIComponent(password)}@` : '';
  const h = host ?? '127.0.0.1';
  // IPv6 literals need brackets in a URL.
  const hostPart = h.includes(':') && !h.startsWith('[') ? `[${h}]` : h;
  return `redis://${auth}${hostPart}:${port ?? 6379}`;
}

/** `host:port` of a Redis URL, for logs: never the password. */
export function describeRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '6379'}${u.pathname && u.pathname !== '/' ? u.pathname : ''}`;
  } catch {
    return '(unparseable URL)';
  }
}
