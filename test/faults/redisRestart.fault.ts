import { afterAll, beforeAll, describe, it } from 'vitest';
import { canStartRedisServer } from '../helpers/redis.ts';
import { sleep } from './helpers/async.ts';
import { startFaultRig, type FaultRig } from './helpers/faultRig.ts';
import { reportFigures, runRedisFault } from './helpers/redisFaultRun.ts';

/** Restarts per run: the second one hits the writes retried after the first. */
const RESTARTS = 2;

// Issue 5, item 3: redis-server is stopped and started again (AOF with
// appendfsync always on a temp dir, so what it acknowledged survives) while
// workflows run; the writes that failed while it was away are retried and land.
describe.skipIf(!canStartRedisServer())('fault: Redis restarted (AOF) mid-run', () => {
  let rig: FaultRig;
  beforeAll(async () => {
    rig = await startFaultRig({ redis: { appendonly: true } });
  });
  afterAll(async () => {
    await rig?.close();
  });

  it('retries the failed writes after the restart; nothing lost, nothing re-run', async () => {
    const figures = await runRedisFault(
      rig,
      async () => {
        for (let i = 0; i < RESTARTS; i++) {
          await rig.redisServer.restart();
          await sleep(400);
        }
        return RESTARTS;
      },
      // Reads fail fast (503) while Redis is down; the bound leaves room for a loaded CI box.
      { maxLatencyMs: 4000 },
    );
    reportFigures('redis restarted with AOF', figures);
  }, 60_000);
});
