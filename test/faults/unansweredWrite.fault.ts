import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { createEngine, type WorkflowEngineWithInternals } from '../../server/engine/createEngine.ts';
import { createLogger } from '../../server/logger.ts';
import { openStore } from '../../server/store/openStore.ts';
import type { WorkflowStore } from '../../server/store/WorkflowStore.ts';
import type { WorkflowStatus } from '../../shared/status.ts';
import { canStartRedisServer, randomPrefix, startRedisServer, type RedisServerHandle } from '../helpers/redis.ts';
import { eventually, sleep } from './helpers/async.ts';

/**
 * The smallest form of what the stall test found. A store write that times
 * out (Redis stalled) is still in the socket: Redis runs it when it wakes up.
 * The engine's next write of that workflow carries the same version number
 * with a newer document, so the store's version check refuses it, and the
 * engine takes its own earlier write for another writer's.
 */
describe.skipIf(!canStartRedisServer())('a write that timed out but landed', () => {
  let redisServer: RedisServerHandle;
  let store: WorkflowStore;
  let engine: WorkflowEngineWithInternals;
  let inspector: Redis;
  const prefix = randomPrefix();

  beforeAll(async () => {
    redisServer = await startRedisServer();
    inspector = new Redis(redisServer.url);
    store = await openStore({ redisUrl: redisServer.url, redisPrefix: prefix, commandTimeoutMs: 200, logger: createLogger('silent') });
    engine = createEngine({ store });
    await engine.start();
  });
  afterAll(async () => {
    redisServer?.resume();
    await engine?.stop();
    await store?.close();
    inspector?.disconnect();
    await redisServer?.stop();
  });

  it('is not taken for another writer: the workflow still finishes and is stored as finished', async () => {
    const created = await engine.create({
      name: 'unanswered-write',
      steps: [{ execution_type: 'sequential', tasks: [{ name: 'sleep', params: { ms: 100 } }, { name: 'sleep', params: { ms: 600 } }] }],
    });
    await eventually('the first task to run', async () => ((await engine.get(created.id)).steps[0].tasks[0].status === 'running' ? true : undefined));
    await engine.flushed();

    // Stall Redis across the end of task 1: that write times out (200 ms) but
    // stays queued in Redis; task 2 starts meanwhile, so the retry is newer.
    redisServer.pause();
    await sleep(700);
    redisServer.resume();

    const done = await eventually('the workflow to end', async () => {
      const status = await engine.get(created.id);
      return status.status === 'succeeded' ? status : undefined;
    });
    const stored = await eventually(
      'Redis to hold the final state',
      async () => {
        const doc = await inspector.hget(`${prefix}wf:${created.id}`, 'doc');
        const status = doc ? (JSON.parse(doc) as WorkflowStatus) : null;
        return status?.status === 'succeeded' ? status : undefined;
      },
      5_000,
    );
    expect(stored).toEqual(done);
  }, 20_000);
});
