import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SCENARIOS } from '../../bench/options.ts';
import type { BenchResult } from '../../bench/result.ts';
import { redisUrlForTests } from '../helpers/redis.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const redisUrl = await redisUrlForTests();

// The harness runs end to end at tiny sizes. Nothing here looks at a speed: benchmarks are not tests.
describe.skipIf(!redisUrl)('bench --smoke', () => {
  it('runs every scenario and writes rows of the documented shape', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowstate-bench-'));
    const out = join(dir, 'smoke.json');
    try {
      const run = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', 'bench/main.ts', '--smoke', '--out', out], {
        cwd: ROOT,
        env: { ...process.env, REDIS_URL: redisUrl! },
        encoding: 'utf8',
        timeout: 150_000,
      });
      expect(run.status, run.stdout + run.stderr).toBe(0);
      const json = JSON.parse(readFileSync(out, 'utf8')) as { scenarios: BenchResult[]; ratios: unknown[]; meta: { mode: string } };
      expect(json.meta.mode).toBe('smoke');
      expect(json.scenarios.filter((r) => r.skipped)).toEqual([]);
      expect(new Set(json.scenarios.map((r) => r.name))).toEqual(new Set(SCENARIOS));
      expect(new Set(json.scenarios.filter((r) => r.name === 'seed-shape').map((r) => r.system))).toEqual(
        new Set(['flowstate-memory', 'flowstate-redis', 'flowstate-redis-direct', 'bullmq-flow', 'bullmq-job', 'xstate-bare']),
      );
      for (const row of json.scenarios) {
        for (const key of ['workflows', 'tasks_per_workflow', 'seconds', 'workflows_per_s', 'tasks_per_s'] as const) {
          expect(typeof row[key], `${row.name}/${row.system}.${key}`).toBe('number');
        }
      }
      expect(json.ratios.length).toBeGreaterThan(0);

      // list by name: the walk of the rare name finds each one seeded (one in 1,000), over several calls.
      const walk = json.scenarios.find((r) => r.name === 'list' && String(r.name_filter).includes('every page')) as BenchResult & Record<'seeded' | 'calls', number>;
      expect(walk.workflows).toBe(Math.floor(walk.seeded / 1000));
      expect(walk.calls).toBeGreaterThan(1);

      // burst: one row per rate, latencies from the scheduled send, every request accounted for.
      const burst = json.scenarios.filter((r) => r.name === 'burst');
      expect(burst.map((r) => r.rate)).toEqual([100, 300, 1000]);
      for (const row of burst) {
        const { p50_ms, p99_ms, max_ms, sent, errors, statuses } = row as BenchResult & Record<'p50_ms' | 'p99_ms' | 'max_ms' | 'sent' | 'errors', number> & { statuses: Record<string, number> };
        expect(p50_ms).toBeGreaterThan(0);
        expect(p50_ms).toBeLessThanOrEqual(p99_ms);
        expect(p99_ms).toBeLessThanOrEqual(max_ms);
        expect(Object.values(statuses).reduce((a, b) => a + b, 0) + errors).toBe(sent);
        expect(row.workflows).toBe(statuses['202']);
      }

      // completion: every workflow posted is stored finished, and none can beat its own sleeps.
      const completion = json.scenarios.filter((r) => r.name === 'completion');
      expect(completion).toHaveLength(1);
      const done = completion[0] as BenchResult & Record<'posted' | 'succeeded' | 'ideal_seconds' | 'ideal_ratio', number>;
      expect(done.capped).toBeUndefined();
      expect(done.succeeded).toBe(done.posted);
      expect(done.workflows).toBe(done.posted);
      expect(done.seconds).toBeGreaterThanOrEqual(done.ideal_seconds);
      expect(done.ideal_ratio).toBeCloseTo(done.seconds / done.ideal_seconds, 1);

      // scale-out: one row per process count, every workflow posted stored succeeded.
      const scale = json.scenarios.filter((r) => r.name === 'scale-out') as Array<BenchResult & Record<'processes' | 'posted' | 'succeeded' | 'errors', number>>;
      expect(scale.map((r) => r.processes)).toEqual([1, 2]);
      for (const row of scale) {
        expect(row.workflows).toBe(row.posted);
        expect(row.succeeded).toBe(row.posted);
        expect(row.errors).toBe(0);
      }

      // failover: every workflow ran again in the survivor after the kill, then ended.
      const failover = json.scenarios.filter((r) => r.name === 'failover') as Array<BenchResult & Record<'takeover_first_s' | 'takeover_s' | 'end_s', number>>;
      expect(failover).toHaveLength(1);
      const [takeover] = failover;
      expect(takeover.takeover_first_s).toBeGreaterThan(0);
      expect(takeover.takeover_first_s).toBeLessThanOrEqual(takeover.takeover_s);
      expect(takeover.takeover_s).toBeLessThanOrEqual(takeover.end_s);

      const ratioNames = (json.ratios as Array<{ name: string; value: number | null }>).filter((r) => r.value !== null).map((r) => r.name);
      expect(ratioNames).toEqual(
        expect.arrayContaining(['burst p99 (ms), 1000/s / 100/s', 'completion seconds / ideal', 'flowstate-redis / flowstate-redis-direct (wf/s)', 'scale-out 2 processes / (2 × 1 process) (wf/s)']),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 160_000);
});
