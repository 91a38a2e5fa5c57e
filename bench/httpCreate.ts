import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Options } from 'autocannon';
import { startServer, type ServerHandle } from '../test/helpers/server.ts';
import type { BenchOptions } from './options.ts';
import { resultRow, round, skippedRow, type BenchResult } from './result.ts';
import { benchPrefix, connectRedis, deleteKeysWithPrefix } from './redisConnection.ts';
import { SEED_SHAPE_TASKS, seedShapeDefinition } from './definitions.ts';
import { pacedLoad } from './pacedLoad.ts';
import { autocannonLoad as load } from './autocannonLoad.ts';
import { latencyStats } from './latencyStats.ts';
import { clusterDrained } from './clusterDrained.ts';
import { jitWarmup } from './jitWarmup.ts';
import { processCpu } from './processCpu.ts';
import { collectGarbage } from './measure.ts';

const NAME = 'http-create';
const SYSTEM = 'flowstate-server';
const MAIN = fileURLToPath(new URL('../server/main.ts', import.meta.url));
const CONNECTIONS = 20;

/**
 * Spawns the real server (as `npm start` does) on Redis under a random
 * prefix and POSTs the seed shape to /api/workflow at 500 req/s → p50 / p99
 * latency, twice: with autocannon's `overallRate` (its connections send each
 * second's share back to back: a burst per second) and with an even,
 * open-loop pace (one request every 2 ms, what "500 req/s" means for the
 * target). Both on a warm server (bench/jitWarmup.ts); the paced run on the
 * cold server, first, is kept in the paced row as `cold_*`. Reports
 * "skipped" when the server cannot start here.
 */
export async function httpCreate(options: BenchOptions): Promise<BenchResult[]> {
  if (!existsSync(MAIN)) return [skippedRow(NAME, SYSTEM, 'server/main.ts does not exist yet')];
  const prefix = benchPrefix();
  let server: ServerHandle;
  try {
    server = await startServer({ REDIS_URL: options.redisUrl, REDIS_PREFIX: prefix, MAX_CONCURRENT_WORKFLOWS: '1000', LOG_LEVEL: 'warn' });
  } catch (error) {
    return [skippedRow(NAME, SYSTEM, `the server did not start: ${String((error as Error).message).split('\n')[0]}`)];
  }
  const redis = connectRedis(options.redisUrl);
  try {
    const url = `${server.url}/api/workflow`;
    const body = JSON.stringify(seedShapeDefinition());
    const pid = server.process.pid!;
    const request: Options = { url, method: 'POST', headers: { 'content-type': 'application/json' }, body, connections: CONNECTIONS, overallRate: options.httpRate, timeout: 10 };
    let posted = (await load({ ...request, duration: options.httpWarmupSeconds })).statuses.get(202) ?? 0;

    // The figure this bench gave before it warmed the JIT, measured the same way: kept, not hidden.
    const cold = await pacedLoad({ url, body, rate: options.httpRate, seconds: options.httpSeconds });
    posted += cold.statuses.get(202) ?? 0;
    const coldStats = latencyStats(cold.latencies);
    await clusterDrained(redis, prefix, posted);
    const warm = await jitWarmup({ url, body, rate: options.httpRate, ...options.httpJitWarmup }, pid, redis, prefix, posted);
    posted += warm.accepted;
    const warmup = {
      warmup_workflows: warm.workflows,
      warmup_main_us_per_wf: warm.mainUs,
      warmup_helpers_us_per_wf: warm.helpersUs,
    };

    const rows: BenchResult[] = [];
    // The load generator's own full GC now, not in the timed run (see burst.ts).
    collectGarbage();
    const cpuBefore = processCpu(pid);
    const paced = await pacedLoad({ url, body, rate: options.httpRate, seconds: options.httpSeconds });
    const pacedAccepted = paced.statuses.get(202) ?? 0;
    posted += pacedAccepted;
    await clusterDrained(redis, prefix, posted);
    const cpuAfter = processCpu(pid);
    const cpu =
      cpuBefore && cpuAfter && paced.sent > 0
        ? { cpu_main_us_per_wf: Math.round(((cpuAfter.mainMs - cpuBefore.mainMs) * 1000) / paced.sent), cpu_helpers_us_per_wf: Math.round(((cpuAfter.helpersMs - cpuBefore.helpersMs) * 1000) / paced.sent) }
        : {};
    rows.push(
      pacedAccepted === 0
        ? skippedRow(NAME, SYSTEM, `paced: no request was accepted (statuses: ${JSON.stringify([...paced.statuses])})`)
        : resultRow(NAME, SYSTEM, pacedAccepted, SEED_SHAPE_TASKS, paced.seconds, {
            mode: 'paced (even, open loop)',
            target_rps: options.httpRate,
            achieved_rps: round(paced.sent / paced.seconds, 1),
            ...latencyStats(paced.latencies),
            max_send_lag_ms: round(paced.maxSendLagMs, 2),
            statuses: Object.fromEntries(paced.statuses),
            errors: paced.errors,
            store: 'redis',
            ...cpu,
            ...warmup,
            cold_p50_ms: coldStats.p50_ms,
            cold_p99_ms: coldStats.p99_ms,
            cold_max_ms: coldStats.max_ms,
          }),
    );

    const { result, latencies, statuses } = await load({ ...request, duration: options.httpSeconds });
    const accepted = statuses.get(202) ?? 0;
    rows.push(
      accepted === 0
        ? skippedRow(NAME, SYSTEM, `autocannon: no request was accepted (statuses: ${JSON.stringify([...statuses])})`)
        : resultRow(NAME, SYSTEM, accepted, SEED_SHAPE_TASKS, result.duration, {
            mode: `autocannon overallRate (${CONNECTIONS} connections, bursts each second)`,
            target_rps: options.httpRate,
            achieved_rps: round(result.requests.total / result.duration, 1),
            connections: CONNECTIONS,
            ...latencyStats(latencies),
            autocannon_p99_ms: result.latency.p99,
            statuses: Object.fromEntries(statuses),
            errors: result.errors,
            timeouts: result.timeouts,
            store: 'redis',
            warmup_workflows: warm.workflows,
          }),
    );
    return rows;
  } finally {
    await server.stop();
    await deleteKeysWithPrefix(redis, prefix);
    redis.disconnect();
  }
}
