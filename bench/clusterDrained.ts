import type { Redis } from 'ioredis';
import { bullPrefixOf, QUEUE_NAME } from '../server/cluster/BullCluster.ts';

/**
 * Resolves once a cluster server on `prefix` has stored `succeeded`
 * workflows as succeeded and its BullMQ queue holds no job waiting or active
 * (the last job's completion is part of a workflow's cost). Reads Redis
 * directly, so waiting costs the server nothing. Rejects after `timeoutMs`.
 */
export async function clusterDrained(redis: Redis, prefix: string, succeeded: number, timeoutMs = 60_000): Promise<void> {
  const queue = `${bullPrefixOf(prefix)}:${QUEUE_NAME}:`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [done, active, waiting, prioritized] = await Promise.all([
      redis.zcard(`${prefix}idx:state:succeeded`),
      redis.llen(`${queue}active`),
      redis.llen(`${queue}wait`),
      redis.zcard(`${queue}prioritized`),
    ]);
    if (done >= succeeded && active + waiting + prioritized === 0) return;
    if (Date.now() > deadline) throw new Error(`not drained after ${timeoutMs} ms: ${done}/${succeeded} succeeded, ${active} active, ${waiting + prioritized} waiting`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
