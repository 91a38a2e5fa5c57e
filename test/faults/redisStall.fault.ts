import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canStartRedisServer } from '../helpers/redis.ts';
import { sleep } from './helpers/async.ts';
import { startFaultRig, type FaultRig } from './helpers/faultRig.ts';
import { reportFigures, runRedisFault } from './helpers/redisFaultRun.ts';

// Issue 5, item 1: Redis stops answering for 3 s (SIGSTOP: sockets stay open,
// nothing comes back) while 50 workflows run, then continues (SIGCONT).
describe.skipIf(!canStartRedisServer())('fault: Redis stalls for 3 s mid-run', () => {
  let rig: FaultRig;
  beforeAll(async () => {
    rig = await startFaultRig();
  });
  afterAll(async () => {
    rig?.redisServer.resume();
    await rig?.close();
  });

  it('keeps answering, loses nothing and re-runs nothing', async () => {
    const figures = await runRedisFault(
      rig,
      async () => {
        rig.redisServer.pause();
        try {
          await sleep(3000);
        } finally {
          rig.redisServer.resume();
        }
        return 1;
      },
      // A read that must reach Redis waits at most the store's 2 s command timeout, then 503.
      { maxLatencyMs: 4000 },
    );
    reportFigures('redis stall (SIGSTOP 3 s)', figures);
    // The stalled reads did reach Redis and came back as a clear 503, not as a hang.
    expect(figures.probe.stored.statuses.get(503) ?? 0).toBeGreaterThan(0);
    expect(figures.probe.live.liveAnswers).toBeGreaterThan(0);
  }, 60_000);
});
