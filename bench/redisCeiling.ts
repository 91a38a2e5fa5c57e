import type { Redis } from 'ioredis';
import type { BenchOptions } from './options.ts';
import { resultRow, round, type BenchResult } from './result.ts';
import { measureRounds, secondsSince } from './measure.ts';
import { benchPrefix, connectRedis, deleteKeysWithPrefix } from './redisConnection.ts';

const BATCH = 100;

/**
 * Raw ioredis on the same Redis: awaited round trips one at a time (PING,
 * SET) and pipelined batches of 100 SETs. The engine's figures are read
 * against these: they are the wire's ceiling for this client and server.
 */
export async function redisCeiling(options: BenchOptions): Promise<BenchResult[]> {
  const redis = connectRedis(options.redisUrl);
  const prefix = benchPrefix();
  const value = 'x'.repeat(1000); // about a seed-shape status document
  try {
    const modes: Array<[string, number, (r: Redis, i: number) => Promise<unknown>]> = [
      ['sequential PING', 1, (r) => r.ping()],
      ['sequential SET', 1, (r, i) => r.set(`${prefix}k${i % 1000}`, value)],
      [
        `pipelined SET x${BATCH}`,
        BATCH,
        (r, i) => {
          const p = r.pipeline();
          for (let j = 0; j < BATCH; j++) p.set(`${prefix}k${(i * BATCH + j) % 1000}`, value);
          return p.exec();
        },
      ],
    ];
    const rows: BenchResult[] = [];
    for (const [mode, opsPerCall, call] of modes) {
      // Each round counts calls completed in a fixed time; the figure is calls per second.
      const rates: number[] = [];
      await measureRounds(async () => {
        let calls = 0;
        const start = performance.now();
        while (secondsSince(start) < options.ceilingSeconds) await call(redis, calls++);
        const seconds = secondsSince(start);
        rates.push(calls / seconds);
        return seconds;
      }, options.rounds, 0);
      const callsPerS = [...rates].sort((a, b) => a - b)[rates.length >> 1];
      rows.push(
        resultRow('redis-ceiling', 'ioredis', 0, 0, options.ceilingSeconds, {
          mode,
          round_trips_per_s: round(callsPerS, 0),
          ops_per_s: round(callsPerS * opsPerCall, 0),
          value_bytes: mode === 'sequential PING' ? 0 : value.length,
        }),
      );
    }
    return rows;
  } finally {
    await deleteKeysWithPrefix(redis, prefix);
    redis.disconnect();
  }
}
