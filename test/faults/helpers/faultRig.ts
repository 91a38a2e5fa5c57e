import { Redis } from 'ioredis';
import type { WorkflowStatus } from '../../../shared/status.ts';
import { deleteKeysWithPrefix, randomPrefix, startRedisServer, type RedisServerHandle, type StartRedisOptions } from '../../helpers/redis.ts';
import { startServer, type ServerHandle } from '../../helpers/server.ts';

/** A private redis-server, the real server on it, and a test-side Redis client to inspect and break it. */
export interface FaultRig {
  readonly redisServer: RedisServerHandle;
  /** The current server (replaced by {@link FaultRig.restartServer}). */
  readonly server: ServerHandle;
  /** A client of the test's own, for reading keys and sending CLIENT KILL. */
  readonly inspector: Redis;
  readonly prefix: string;
  /** Kills (SIGKILL) or stops (SIGTERM) the server, then starts it again with the same env. */
  restartServer(how: 'kill' | 'stop'): Promise<ServerHandle>;
  /** The status document the store holds for `id` (the hash's `doc` field), or null. */
  storedStatus(id: string): Promise<WorkflowStatus | null>;
  /** The server's resident set size in KiB, from /proc/<pid>/status. */
  serverRssKiB(): Promise<number>;
  /** Stops the server and redis-server and deletes the keys. */
  close(): Promise<void>;
}

/** Options of {@link startFaultRig}. */
export interface FaultRigOptions {
  redis?: StartRedisOptions;
  /** More server env (REDIS_URL and REDIS_PREFIX are set by the rig). */
  env?: Record<string, string>;
}

/**
 * Starts a redis-server of this test's own on a free port (so SIGSTOP and
 * restarts hurt nobody else) and the real server on it with a random
 * REDIS_PREFIX. The test-side client protects itself from `CLIENT KILL`
 * with `CLIENT KILL ... SKIPME yes` (see {@link killServerConnections}).
 */
export async function startFaultRig(options: FaultRigOptions = {}): Promise<FaultRig> {
  const redisServer = await startRedisServer(options.redis);
  const prefix = randomPrefix();
  // The inspector must survive Redis restarts and stalls without failing the test on its own.
  const inspector = new Redis(redisServer.url, { maxRetriesPerRequest: 20, retryStrategy: () => 50 });
  inspector.on('error', () => {});
  let server: ServerHandle;
  try {
    // Production lock times unless a file says otherwise: a Redis stall or restart
    // shorter than the lock must cost no workflow its lock (and so no re-run).
    server = await startServer({ REDIS_URL: redisServer.url, REDIS_PREFIX: prefix, LOCK_DURATION_MS: '10000', STALLED_INTERVAL_MS: '5000', ...options.env });
  } catch (error) {
    inspector.disconnect();
    await redisServer.stop();
    throw error;
  }

  return {
    redisServer,
    get server() {
      return server;
    },
    inspector,
    prefix,
    async restartServer(how) {
      if (how === 'kill') await server.kill();
      else await server.stop();
      server = await server.restart();
      return server;
    },
    async storedStatus(id) {
      const doc = await inspector.hget(`${prefix}wf:${id}`, 'doc');
      return doc === null ? null : (JSON.parse(doc) as WorkflowStatus);
    },
    serverRssKiB: () => rssKiB(server.process.pid!),
    async close() {
      await server.stop();
      try {
        await deleteKeysWithPrefix(inspector, prefix);
      } finally {
        inspector.disconnect();
        await redisServer.stop();
      }
    },
  };
}

/**
 * `CLIENT KILL TYPE normal SKIPME yes` from the inspector: drops every
 * ordinary connection (the server's) but the inspector's own. Returns how
 * many connections Redis closed.
 */
export async function killServerConnections(inspector: Redis): Promise<number> {
  return (await inspector.call('CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes')) as number;
}

/** How many ordinary client connections Redis has besides the inspector's own. */
export async function otherConnections(inspector: Redis): Promise<number> {
  const list = (await inspector.call('CLIENT', 'LIST', 'TYPE', 'normal')) as string;
  return list.split('\n').filter((line) => line.trim() !== '').length - 1;
}

/** VmRSS of a process in KiB (Linux). */
export async function rssKiB(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const text = await readFile(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(text);
  if (!match) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(match[1]);
}
