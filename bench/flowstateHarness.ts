import { isTerminal } from '../shared/status.ts';
import { createEngine, type WorkflowEngineWithInternals } from '../server/engine/createEngine.ts';
import { createMemoryStore } from '../server/store/MemoryStore.ts';
import { createRedisStore } from '../server/store/RedisStore.ts';
import type { WorkflowRecord, WorkflowStore } from '../server/store/WorkflowStore.ts';
import { BullCluster } from '../server/cluster/BullCluster.ts';
import { newProcessIdentity } from '../server/cluster/processIdentity.ts';
import { createLogger } from '../server/logger.ts';
import { benchPrefix, connectRedis, deleteKeysWithPrefix } from './redisConnection.ts';
import { secondsSince } from './measure.ts';

/** The two flowstate systems of the tables. */
export type FlowstateSystem = 'flowstate-memory' | 'flowstate-redis';

/** An engine on a fresh store, counting workflows whose final state reached the store. */
export interface FlowstateHarness {
  readonly system: FlowstateSystem;
  readonly engine: WorkflowEngineWithInternals;
  /** The store under the engine (reads here bypass the counting wrapper). */
  readonly store: WorkflowStore;
  /** Workflows whose terminal status has been written. */
  readonly ended: number;
  /** Of those, the ones that did not succeed (a bench run expects 0). */
  readonly unsuccessful: number;
  /**
   * Creates `count` workflows of `definition` all at once and resolves with
   * the seconds until the last one's final state is in the store.
   */
  runWorkflows(definition: unknown, count: number): Promise<{ seconds: number; ids: string[] }>;
  /** Stops the engine, closes the store and deletes the Redis keys. */
  close(): Promise<void>;
}

/** Options of {@link openFlowstate}. */
export interface HarnessOptions {
  redisUrl: string;
  /** High by default, so a run measures throughput, not the admission queue. */
  maxConcurrentWorkflows?: number;
  /** Redis key prefix (default: a fresh random one). */
  prefix?: string;
  /**
   * Redis only: run as `server/main.ts` deploys it, every workflow a BullMQ
   * job taken by this process's own worker (a cluster of one). Default false:
   * the engine runs what it stores directly (the single-process path).
   */
  cluster?: boolean;
}

// The production defaults of LOCK_DURATION_MS / STALLED_INTERVAL_MS (server/config.ts).
const LOCK_DURATION_MS = 10_000;
const STALLED_INTERVAL_MS = 5_000;

// A run that makes no progress for this long has hung: fail loudly instead of waiting forever.
const STALL_MS = 60_000;

/**
 * Builds the engine the way server/main.ts does, on a memory store or on a
 * Redis store under a random prefix. "Finished" means durably finished: the
 * counter moves when the store acknowledges a terminal status, which is the
 * moment a client could read the result back.
 */
export async function openFlowstate(system: FlowstateSystem, options: HarnessOptions): Promise<FlowstateHarness> {
  const prefix = options.prefix ?? benchPrefix();
  const inner = system === 'flowstate-memory' ? createMemoryStore() : createRedisStore({ redis: connectRedis(options.redisUrl), prefix });
  let ended = 0;
  let unsuccessful = 0;
  let waiters: Array<{ target: number; resolve: () => void }> = [];

  const counting: WorkflowStore = { ...inner, saveMany };
  async function saveMany(records: WorkflowRecord[]): Promise<{ conflicts: string[] }> {
    // Read the states now: the engine's documents are live and change while the write is out.
    const states = records.map((record) => record.status.status);
    const result = await inner.saveMany(records);
    const lost = result.conflicts.length > 0 ? new Set(result.conflicts) : null;
    records.forEach((record, i) => {
      if (!isTerminal(states[i]) || lost?.has(record.id)) return;
      ended++;
      if (states[i] !== 'succeeded') unsuccessful++;
    });
    if (waiters.length > 0) {
      const due = waiters.filter((w) => w.target <= ended);
      waiters = waiters.filter((w) => w.target > ended);
      for (const w of due) w.resolve();
    }
    return result;
  }

  const maxConcurrentWorkflows = options.maxConcurrentWorkflows ?? 10_000;
  const cluster =
    options.cluster && system === 'flowstate-redis'
      ? new BullCluster({
          redisUrl: options.redisUrl,
          prefix,
          identity: newProcessIdentity(),
          // As server/main.ts: the worker's concurrency is MAX_CONCURRENT_WORKFLOWS.
          concurrency: maxConcurrentWorkflows,
          lockDurationMs: LOCK_DURATION_MS,
          stalledIntervalMs: STALLED_INTERVAL_MS,
          logger: createLogger('silent'),
        })
      : undefined;
  const engine = createEngine({ store: counting, maxConcurrentWorkflows, cluster });
  await engine.start();

  function endedAt(target: number): Promise<void> {
    if (ended >= target) return Promise.resolve();
    return new Promise((resolve, reject) => {
      let last = ended;
      const watchdog = setInterval(() => {
        if (ended === last) {
          clearInterval(watchdog);
          reject(new Error(`${system}: no workflow finished for ${STALL_MS / 1000} s (${ended}/${target})`));
        }
        last = ended;
      }, STALL_MS);
      waiters.push({
        target,
        resolve: () => {
          clearInterval(watchdog);
          resolve();
        },
      });
    });
  }

  async function jobsSettled(): Promise<void> {
    const deadline = performance.now() + STALL_MS;
    for (;;) {
      // The link's job counts, not engine.clusterStats(): its process list reads every active job's hash.
      const backlog = await cluster!.backlog();
      if (backlog.active + backlog.waiting + backlog.delayed === 0) return;
      if (performance.now() > deadline) throw new Error(`${system}: BullMQ still holds ${JSON.stringify(backlog)} jobs ${STALL_MS / 1000} s after the last end`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  return {
    system,
    engine,
    store: inner,
    get ended() {
      return ended;
    },
    get unsuccessful() {
      return unsuccessful;
    },
    async runWorkflows(definition, count) {
      const target = ended + count;
      const start = performance.now();
      const creates: Promise<{ id: string }>[] = [];
      for (let i = 0; i < count; i++) creates.push(engine.create(definition));
      const ids = (await Promise.all(creates)).map((s) => s.id);
      await endedAt(target);
      const seconds = secondsSince(start);
      // Untimed: BullMQ completes the jobs after the final writes; that tail must not fall into the next round.
      if (cluster) await jobsSettled();
      return { seconds, ids };
    },
    async close() {
      await engine.stop();
      await inner.close();
      if (system === 'flowstate-redis') {
        const redis = connectRedis(options.redisUrl);
        await deleteKeysWithPrefix(redis, prefix);
        redis.disconnect();
      }
    },
  };
}
