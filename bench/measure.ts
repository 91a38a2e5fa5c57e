/** The median of `values` (the mean of the middle two for an even count). */
export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Seconds elapsed since `start` (from `performance.now()`). */
export function secondsSince(start: number): number {
  return (performance.now() - start) / 1000;
}

/** Per-round timings of a measured run: the median and every round, in seconds. */
export interface Rounds {
  median: number;
  all: number[];
}

/**
 * Runs `round` `warmup` times untimed (JIT, caches, connections), then
 * `rounds` times timed; each call returns the seconds it measured itself, so
 * set-up inside a round can stay out of the figure.
 */
export async function measureRounds(round: () => Promise<number>, rounds: number, warmup = 1): Promise<Rounds> {
  for (let i = 0; i < warmup; i++) await round();
  const all: number[] = [];
  for (let i = 0; i < rounds; i++) all.push(await round());
  return { median: median(all), all };
}

/** Runs a full GC twice when node was started with --expose-gc; returns whether it could. */
export function collectGarbage(): boolean {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return false;
  gc();
  gc();
  return true;
}
