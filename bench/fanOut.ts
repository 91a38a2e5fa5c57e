import type { BenchOptions } from './options.ts';
import type { BenchResult } from './result.ts';
import { oneWorkflowSizes } from './oneWorkflowSizes.ts';

/** One workflow of 1, 10, 100, 1000 parallel no-op tasks: per-task time should stay flat. */
export function fanOut(options: BenchOptions): Promise<BenchResult[]> {
  return oneWorkflowSizes('fan-out', 'parallel', options.fanOutSizes, options);
}
