import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkflowMachineInfo } from '../../../shared/machine.ts';
import { deleteKeysWithPrefix, randomPrefix, redisUrlForTests } from '../../helpers/redis.ts';
import { startServer, type ServerHandle } from '../../helpers/server.ts';
import { startHitCounter, type HitCounter } from '../../helpers/hitCounter.ts';
import { call } from '../api/http.ts';
import { countedWorkflow, createVia, eventually } from './helpers.ts';

const redisUrl = await redisUrlForTests();

// Issue 12: an API-only process answers the machine of a workflow a worker runs, from the store.
describe.skipIf(!redisUrl)('the machine endpoint on a cluster', { timeout: 90_000 }, () => {
  let redis: Redis;
  let counter: HitCounter;
  const prefix = randomPrefix();
  const servers: ServerHandle[] = [];

  beforeAll(async () => {
    redis = new Redis(redisUrl!);
    counter = await startHitCounter();
    const env = { REDIS_URL: redisUrl!, REDIS_PREFIX: prefix, SHUTDOWN_GRACE_MS: '0' };
    servers.push(await startServer({ ...env, ROLE: 'worker' }), await startServer({ ...env, ROLE: 'api' }));
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.kill()));
    await deleteKeysWithPrefix(redis, prefix);
    await counter.close();
    redis.disconnect();
  });

  it('an API-only process answers the machine and the state value a worker stored', async () => {
    const api = servers[1];
    const key = `machine-${prefix}`;
    const id = await createVia(api.url, countedWorkflow('drawn-elsewhere', [counter.hitUrl(`${key}-a`), counter.hitUrl(`${key}-b`, 60_000)]));
    await eventually('the second task runs in the worker', () => (counter.hits(`${key}-b`) === 1 ? true : undefined));
    const answer = await eventually('the stored snapshot shows the second task', async () => {
      const { status, body } = await call<WorkflowMachineInfo>(api.url, `/api/workflow/${id}/machine`);
      expect(status).toBe(200);
      return JSON.stringify(body.value) === JSON.stringify({ step1_sequential: 'task2' }) ? body : undefined;
    });
    expect(answer.status).toBe('running');
    expect(Object.keys((answer.machine as { states: object }).states)).toEqual(['step1_sequential', 'succeeded', 'failed', 'cancelled']);
  });
});
