import { describe, expect, it } from 'vitest';
import { parseOptions } from '../../bench/options.ts';
import { median } from '../../bench/measure.ts';
import { latencyStats, percentile } from '../../bench/latencyStats.ts';
import { summarise } from '../../bench/topSelfTime.ts';
import { processCpu } from '../../bench/processCpu.ts';
import { resultRow } from '../../bench/result.ts';
import { computeRatios } from '../../bench/ratios.ts';

describe('bench options', () => {
  it('selects scenarios with --only and rejects unknown flags and scenarios', () => {
    expect(parseOptions(['--quick', '--only', 'list,fan-out'], {}).only).toEqual(['list', 'fan-out']);
    expect(parseOptions(['--only=memory'], {}).only).toEqual(['memory']);
    expect(() => parseOptions(['--fast'], {})).toThrow();
    expect(() => parseOptions(['--only', 'nope'], {})).toThrow();
  });

  it('reads REDIS_URL and makes quick smaller than full', () => {
    const quick = parseOptions(['--quick'], { REDIS_URL: 'redis://10.0.0.1:6380' });
    const full = parseOptions([], {});
    expect(quick.redisUrl).toBe('redis://10.0.0.1:6380');
    expect(full.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(quick.listWorkflows).toBeLessThan(full.listWorkflows);
    expect(full.listWorkflows).toBe(100_000);
  });

  it('runs burst and completion on their own, at the sizes of issue 13 in full mode', () => {
    expect(parseOptions(['--only', 'burst,completion'], {}).only).toEqual(['burst', 'completion']);
    const full = parseOptions([], {});
    expect(full.burstRates).toEqual([100, 300, 1_000]);
    expect(full.burstSeconds).toBe(5);
    expect(full.completionWorkflows).toBe(1_000);
    expect(full.completionConnections).toBe(50);
    expect(full.completionWorkload).toBe('sample');
    expect(parseOptions(['--quick'], {}).completionWorkflows).toBeLessThan(full.completionWorkflows);
    expect(parseOptions(['--smoke'], {}).completionWorkload).toBe('short-sample');
  });
});

describe('median', () => {
  it('takes the middle value, or the mean of the middle two', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

describe('latencyStats', () => {
  it('takes nearest-rank percentiles and the max', () => {
    const ms = Array.from({ length: 100 }, (_, i) => 100 - i); // 100 … 1, unsorted
    expect(latencyStats(ms)).toEqual({ p50_ms: 50, p90_ms: 90, p99_ms: 99, max_ms: 100 });
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('topSelfTime.summarise', () => {
  // root → a → b, with samples [b, b, a, (idle)] of 10, 20, 30, 40 µs.
  const profile = {
    nodes: [
      { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: -1 }, children: [2, 4] },
      { id: 2, callFrame: { functionName: 'a', url: 'file:///x/node_modules/pkg/a.js', lineNumber: 9 }, children: [3] },
      { id: 3, callFrame: { functionName: 'b', url: 'file:///x/node_modules/pkg/b.js', lineNumber: 0 }, children: [] },
      { id: 4, callFrame: { functionName: '(idle)', url: '', lineNumber: -1 }, children: [] },
    ],
    samples: [3, 3, 2, 4],
    timeDeltas: [10, 20, 30, 40],
  };

  it('sums self time per function and total time along each stack', () => {
    const summary = summarise(profile);
    const byName = Object.fromEntries(summary.functions.map((f) => [f.name, f]));
    expect(byName.b.selfMs).toBeCloseTo(0.03);
    expect(byName.a.selfMs).toBeCloseTo(0.03);
    expect(byName.a.totalMs).toBeCloseTo(0.06);
    expect(byName.b.location).toBe('pkg/b.js:1');
    expect(summary.sampledMs).toBeCloseTo(0.1);
    expect(summary.busyMs).toBeCloseTo(0.06);
  });
});

describe('processCpu', () => {
  it.skipIf(process.platform !== 'linux')("reads this process's CPU, the main thread's growing with work on it, and null for a pid that is gone", () => {
    const before = processCpu(process.pid)!;
    // Spin for 100 ms of CPU, not of wall time: on a loaded machine the spinner is descheduled.
    const start = process.cpuUsage();
    while (process.cpuUsage(start).user < 100_000) {
      // spin
    }
    const after = processCpu(process.pid)!;
    // /proc counts in 10 ms ticks, and the process total includes other threads: half is plenty.
    expect(after.mainMs - before.mainMs).toBeGreaterThanOrEqual(50);
    expect(after.helpersMs).toBeGreaterThanOrEqual(0);
    expect(processCpu(2 ** 22 + 1)).toBeNull();
  });
});

describe('computeRatios: flowstate-memory / xstate-bare', () => {
  const bare = resultRow('seed-shape', 'xstate-bare', 1000, 3, 1);
  it('is the median of the adjacent pairs when the rounds were paired, judged as shown', () => {
    const memory = resultRow('seed-shape', 'flowstate-memory', 1000, 3, 2, { paired_ratio_to_xstate_bare: 0.897, pair_ratios: [0.8, 0.897, 1.2] });
    const found = computeRatios([memory, bare]).find((r) => r.name.startsWith('flowstate-memory / xstate-bare'))!;
    expect(found).toMatchObject({ value: 0.9, met: true });
    expect(found.detail).toContain('median of 3 adjacent pairs');
    expect(found.detail).toContain('ratio 0.5');
  });
  it('falls back to the ratio of the rows when they were not paired', () => {
    const memory = resultRow('seed-shape', 'flowstate-memory', 1000, 3, 2);
    expect(computeRatios([memory, bare]).find((r) => r.name.startsWith('flowstate-memory / xstate-bare'))).toMatchObject({ value: 0.5, met: false });
  });
});
