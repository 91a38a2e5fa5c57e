import { round } from './result.ts';

/** The value at percentile `p` (0–100) of ascending `sorted` (nearest rank). */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** p50 / p90 / p99 / max of `latencies` (ms), sorted in place. */
export function latencyStats(latencies: number[]): { p50_ms: number; p90_ms: number; p99_ms: number; max_ms: number } {
  const sorted = latencies.sort((a, b) => a - b);
  return {
    p50_ms: round(percentile(sorted, 50), 3),
    p90_ms: round(percentile(sorted, 90), 3),
    p99_ms: round(percentile(sorted, 99), 3),
    max_ms: round(sorted[sorted.length - 1], 3),
  };
}
