import type { BenchOptions } from './options.ts';
import { resultRow, round, skippedRow, type BenchResult } from './result.ts';
import { collectGarbage } from './measure.ts';
import { openFlowstate } from './flowstateHarness.ts';
import { SEED_SHAPE_TASKS, seedShapeDefinition } from './definitions.ts';

const MB = 1024 * 1024;
const CHUNK = 5_000;

/**
 * RSS and heap growth per 10,000 finished seed-shape workflows kept in the
 * memory store, measured after a full GC. Runs first in the bench, before
 * other scenarios have grown the heap.
 */
export async function memoryRss(options: BenchOptions): Promise<BenchResult[]> {
  if (!collectGarbage()) return [skippedRow('memory', 'flowstate-memory', 'node was started without --expose-gc')];
  const harness = await openFlowstate('flowstate-memory', { redisUrl: options.redisUrl });
  try {
    // One small run first, so the engine's caches and JIT code are not counted as workflow data.
    await harness.runWorkflows(seedShapeDefinition(), 500);
    await harness.engine.flushed();
    collectGarbage();
    const before = process.memoryUsage();
    let seconds = 0;
    for (let done = 0; done < options.memoryWorkflows; done += CHUNK) {
      seconds += (await harness.runWorkflows(seedShapeDefinition(), Math.min(CHUNK, options.memoryWorkflows - done))).seconds;
    }
    await harness.engine.flushed();
    collectGarbage();
    const after = process.memoryUsage();
    const per10k = 10_000 / options.memoryWorkflows;
    return [
      resultRow('memory', 'flowstate-memory', options.memoryWorkflows, SEED_SHAPE_TASKS, seconds, {
        rss_mb_per_10k: round(((after.rss - before.rss) / MB) * per10k, 2),
        heap_mb_per_10k: round(((after.heapUsed - before.heapUsed) / MB) * per10k, 2),
        bytes_per_workflow: round((after.heapUsed - before.heapUsed) / options.memoryWorkflows, 0),
        rss_mb_after: round(after.rss / MB, 1),
      }),
    ];
  } finally {
    await harness.close();
  }
}
