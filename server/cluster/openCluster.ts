import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import type { WorkflowStore } from '../store/WorkflowStore.ts';
import { BullCluster } from './BullCluster.ts';
import type { ClusterLink } from './ClusterLink.ts';
import { newProcessIdentity } from './processIdentity.ts';

/**
 * The cluster this process joins: on the Redis store, always (one process
 * is a cluster of one, run the same way as many); on memory, none.
 */
export function openCluster(
  config: Pick<Config, 'redisUrl' | 'redisPrefix' | 'maxConcurrentWorkflows' | 'lockDurationMs' | 'stalledIntervalMs'>,
  store: WorkflowStore,
  logger: Logger,
): ClusterLink | undefined {
  if (store.kind !== 'redis' || !config.redisUrl) return undefined;
  return new BullCluster({
    redisUrl: config.redisUrl,
    prefix: config.redisPrefix,
    identity: newProcessIdentity(),
    concurrency: config.maxConcurrentWorkflows,
    lockDurationMs: config.lockDurationMs,
    stalledIntervalMs: config.stalledIntervalMs,
    logger,
  });
}
