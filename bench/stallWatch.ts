import { constants, monitorEventLoopDelay, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';

/**
 * Preload (`node --import ./bench/stallWatch.ts …`) that watches a server's
 * event loop between two SIGUSR2s, so a bench row can say what the server
 * itself went through while it was timed: the first signal starts watching,
 * the second prints one line, `STALL_WATCH {json}` (see {@link StallWatch}),
 * on stdout. Costs next to nothing: V8 reports GC pauses anyway, and the loop
 * delay comes from libuv's own timer histogram.
 */
export interface StallWatch {
  /** Event-loop delay seen by a 1 ms timer: p99 and max (ms). */
  loop_delay_p99_ms: number;
  loop_delay_max_ms: number;
  /** GC pauses on the main thread: how many, their total, the longest, and how many were major (mark-compact). */
  gc_pauses: number;
  gc_ms: number;
  gc_max_ms: number;
  major_gcs: number;
}

export const STALL_WATCH_LINE = 'STALL_WATCH ';

const delay = monitorEventLoopDelay({ resolution: 1 });
let pauses: PerformanceEntry[] = [];
const gc = new PerformanceObserver((list) => pauses.push(...list.getEntries()));
let watching = false;

const round = (ms: number) => Math.round(ms * 100) / 100;

process.on('SIGUSR2', () => {
  if (!watching) {
    watching = true;
    pauses = [];
    delay.reset();
    delay.enable();
    gc.observe({ entryTypes: ['gc'] });
    return;
  }
  watching = false;
  delay.disable();
  gc.disconnect();
  const watch: StallWatch = {
    loop_delay_p99_ms: round(delay.percentile(99) / 1e6),
    loop_delay_max_ms: round(delay.max / 1e6),
    gc_pauses: pauses.length,
    gc_ms: round(pauses.reduce((sum, p) => sum + p.duration, 0)),
    gc_max_ms: round(Math.max(0, ...pauses.map((p) => p.duration))),
    major_gcs: pauses.filter((p) => (p as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR).length,
  };
  process.stdout.write(`${STALL_WATCH_LINE}${JSON.stringify(watch)}\n`);
});
