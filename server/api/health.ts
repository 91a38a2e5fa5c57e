import { z } from 'zod';
import type { WorkflowEngine } from '../engine/WorkflowEngine.ts';
import type { OverloadGuard } from './overloadGuard.ts';

/** A process of the cluster, as health lists it. */
const ClusterProcessSchema = z.object({
  id: z.string(),
  host: z.string(),
  pid: z.number(),
  started_at: z.string(),
  /** Workflows whose job this process holds now. */
  running: z.number(),
});

/** What `GET /health` and the tRPC `health` query answer. */
export const HealthSchema = z.object({
  /** `degraded` (HTTP 503, so a load balancer takes the process out): see `reason`. */
  status: z.enum(['ok', 'degraded']),
  reason: z.string().optional(),
  store: z.enum(['memory', 'redis']),
  /** What this process does: `all` (API and workflows), `api` (API only), `worker` (workflows only). */
  role: z.enum(['all', 'api', 'worker']),
  /** This process's id in the cluster (`host:pid:random`, the `process` of the events it writes); absent on memory. */
  process: z.string().optional(),
  uptime_s: z.number(),
  /** What this process holds: running and queued workflows, and changes not yet in the store (non-zero while the store is away). */
  workflows: z.object({ running: z.number(), queued: z.number(), unsaved: z.number() }),
  /** Backpressure: how long the event loop is stalled now, and the creates refused (503) for it since start; absent on a `worker`. */
  overload: z.object({ stalled_ms: z.number(), refused_creates: z.number() }).optional(),
  /** On Redis: the live processes that run workflows, and the jobs of the whole cluster (left out when Redis is slow to answer). */
  cluster: z
    .object({
      processes: z.array(ClusterProcessSchema),
      backlog: z.object({ waiting: z.number(), delayed: z.number(), active: z.number() }),
    })
    .optional(),
});
/** The health document. */
export type Health = z.infer<typeof HealthSchema>;

/** What the process knows of itself that the engine does not. */
export interface HealthInfo {
  role: Health['role'];
  /** Set when Redis was configured but the process runs on memory. */
  degradedReason?: string;
  /** The HTTP server's backpressure, when it serves creates. */
  overload?: Pick<OverloadGuard, 'stats'>;
}

/** How long health waits for the cluster's figures: a load balancer's check must not hang on a stalled Redis. */
const CLUSTER_WAIT_MS = 300;

/**
 * The health document: which store the engine runs on, its role and load,
 * and the cluster's processes. The cluster part needs Redis: when Redis is
 * slow or away it is left out (the process itself is still up: it keeps its
 * runs in memory and retries its writes), so /health never waits on Redis.
 */
export async function health(engine: Pick<WorkflowEngine, 'storeKind' | 'stats' | 'clusterStats' | 'processId'>, info: HealthInfo): Promise<Health> {
  const reason = info.degradedReason;
  let timer: NodeJS.Timeout | undefined;
  const cluster = await Promise.race([
    engine.clusterStats().then(
      (stats) => stats ?? undefined,
      () => undefined,
    ),
    new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), CLUSTER_WAIT_MS))),
  ]).finally(() => clearTimeout(timer));
  return {
    status: reason ? 'degraded' : 'ok',
    ...(reason ? { reason } : {}),
    store: engine.storeKind,
    role: info.role,
    ...(engine.processId ? { process: engine.processId } : {}),
    uptime_s: Math.round(process.uptime()),
    workflows: engine.stats(),
    ...(info.overload ? { overload: info.overload.stats() } : {}),
    ...(cluster ? { cluster } : {}),
  };
}
