import { startServer, type ServerHandle } from '../test/helpers/server.ts';
import { benchPrefix, connectRedis, deleteKeysWithPrefix } from './redisConnection.ts';

/** Lock settings of a cluster run (server/config.ts defaults: 10,000 / 5,000). */
export interface LockSettings {
  lockDurationMs: number;
  stalledIntervalMs: number;
}

/** The production defaults of LOCK_DURATION_MS and STALLED_INTERVAL_MS. */
export const PRODUCTION_LOCKS: LockSettings = { lockDurationMs: 10_000, stalledIntervalMs: 5_000 };

/** Real server processes (`node --import tsx server/main.ts`) on one Redis under one random prefix. */
export interface ServerCluster {
  readonly prefix: string;
  readonly servers: ServerHandle[];
  /** Starts one more process of the same cluster. */
  add(): Promise<ServerHandle>;
  /** This process's cluster id (`host:pid:random`), from its start line. */
  processId(server: ServerHandle): string;
  /** Stops every process still up (SIGTERM, SIGKILL after 10 s) and deletes the prefix's keys. */
  close(): Promise<void>;
}


/**
 * Starts `count` server processes with the same REDIS_URL and a fresh
 * `bench:<uuid>:` REDIS_PREFIX, each `ROLE=all` (API and worker) with
 * `MAX_CONCURRENT_WORKFLOWS=concurrency` and the given lock settings. If one
 * fails to start, the others are stopped and the keys deleted before it throws.
 */
export async function startServerCluster(options: { redisUrl: string; count: number; concurrency: number; locks: LockSettings }): Promise<ServerCluster> {
  const prefix = benchPrefix();
  const env: Record<string, string> = {
    REDIS_URL: options.redisUrl,
    REDIS_PREFIX: prefix,
    ROLE: 'all',
    MAX_CONCURRENT_WORKFLOWS: String(options.concurrency),
    LOCK_DURATION_MS: String(options.locks.lockDurationMs),
    STALLED_INTERVAL_MS: String(options.locks.stalledIntervalMs),
    LOG_LEVEL: 'warn',
  };
  const servers: ServerHandle[] = [];
  const cluster: ServerCluster = {
    prefix,
    servers,
    async add() {
      const server = await startServer(env, { timeoutMs: 60_000 });
      servers.push(server);
      return server;
    },
    processId(server) {
      // The start line says it (`— process host:pid:random`); /health may leave its cluster part out while Redis is slow.
      const match = / — process (\S+)/.exec(server.stdout());
      if (!match) throw new Error(`${server.url} printed no process id: ${server.stdout().slice(0, 300)}`);
      return match[1];
    },
    async close() {
      await Promise.all(servers.map((s) => s.stop(10_000)));
      const redis = connectRedis(options.redisUrl);
      try {
        await deleteKeysWithPrefix(redis, prefix);
      } finally {
        redis.disconnect();
      }
    },
  };
  try {
    // One after another: on 2 cores, parallel tsx start-ups only slow each other down past the health timeout.
    for (let i = 0; i < options.count; i++) await cluster.add();
  } catch (error) {
    await cluster.close();
    throw error;
  }
  return cluster;
}
