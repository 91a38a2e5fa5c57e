import type { BenchOptions } from './options.ts';
import type { BenchResult } from './result.ts';
import { oneWorkflowSizes } from './oneWorkflowSizes.ts';

/**
 * One workflow of 1000 sequential no-op tasks (and 10, the baseline): per-task
 * cost, persisted record size, and store writes per workflow (coalesced, not
 * one per XState microstep).
 */
export function longChain(options: BenchOptions): Promise<BenchResult[]> {
  return oneWorkflowSizes('long-chain', 'sequential', options.chainSizes, options);
}
