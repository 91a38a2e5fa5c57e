import type { BenchOptions } from './options.ts';
import { resultRow, round, skippedRow, type BenchResult } from './result.ts';
import { measureRounds } from './measure.ts';
import { openFlowstate, type FlowstateHarness, type FlowstateSystem } from './flowstateHarness.ts';
import { oneStepDefinition } from './definitions.ts';
import { recordSizes, runIsolated } from './oneWorkflowChild.ts';

// A size whose one workflow is predicted to take longer than this runs once, in a child process.
const INLINE_LIMIT_S = 0.5;

/**
 * Shared by fan-out and long-chain: one workflow of one step of `size` no-op
 * tasks at a time, on both flowstate systems, sizes ascending. Small sizes
 * are repeated so a round lasts long enough to time (median of rounds after
 * a warm-up). A size predicted (from the growth between the previous two) to
 * take over 0.5 s per workflow runs once, in a child process killed at a cap,
 * which gives either its time or a lower bound.
 */
export async function oneWorkflowSizes(name: string, kind: 'parallel' | 'sequential', sizes: number[], options: BenchOptions): Promise<BenchResult[]> {
  const rows: BenchResult[] = [];
  for (const system of ['flowstate-memory', 'flowstate-redis'] as FlowstateSystem[]) {
    const harness = await openFlowstate(system, { redisUrl: options.redisUrl });
    const seen: Array<{ size: number; perWorkflow: number }> = [];
    try {
      for (const size of [...sizes].sort((a, b) => a - b)) {
        const predicted = predict(seen, size);
        const row =
          predicted > INLINE_LIMIT_S ? await isolatedRow(name, system, kind, size, predicted, options) : await inlineRow(harness, name, kind, size, options);
        rows.push(row);
        if (!row.skipped) seen.push({ size, perWorkflow: row.seconds / row.workflows });
      }
    } finally {
      await harness.close();
    }
  }
  return rows;
}

/** Seconds one workflow of `size` should take, extrapolated from the last two sizes measured. */
function predict(seen: Array<{ size: number; perWorkflow: number }>, size: number): number {
  if (seen.length === 0) return 0;
  const last = seen[seen.length - 1];
  const prev = seen.length > 1 ? seen[seen.length - 2] : null;
  // Growth exponent seen so far (at least linear, at most cubic).
  const k = prev ? Math.min(3, Math.max(1, Math.log(last.perWorkflow / prev.perWorkflow) / Math.log(last.size / prev.size))) : 1;
  return last.perWorkflow * (size / last.size) ** k;
}

async function inlineRow(harness: FlowstateHarness, name: string, kind: 'parallel' | 'sequential', size: number, options: BenchOptions): Promise<BenchResult> {
  const definition = oneStepDefinition(kind, size);
  const reps = Math.max(2, Math.ceil(options.repTasks / size));
  let lastId = '';
  const before = harness.engine.persistence;
  const rounds = await measureRounds(async () => {
    let seconds = 0;
    // One at a time, never overlapping: the figure is one workflow's cost.
    for (let i = 0; i < reps; i++) {
      const run = await harness.runWorkflows(definition, 1);
      seconds += run.seconds;
      lastId = run.ids[0];
    }
    return seconds;
  }, options.rounds);
  const after = harness.engine.persistence;
  if (harness.unsuccessful > 0) throw new Error(`${name}: ${harness.unsuccessful} workflows did not succeed`);
  const workflows = reps * (options.rounds + 1);
  return resultRow(name, harness.system, reps, size, rounds.median, {
    per_task_us: round((rounds.median / (reps * size)) * 1e6, 2),
    per_workflow_ms: round((rounds.median / reps) * 1000, 3),
    store_writes_per_workflow: round((after.writes - before.writes) / workflows, 2),
    store_batches_per_workflow: round((after.batches - before.batches) / workflows, 2),
    ...(await recordSizes(harness.store, lastId)),
  });
}

async function isolatedRow(name: string, system: FlowstateSystem, kind: 'parallel' | 'sequential', size: number, predicted: number, options: BenchOptions): Promise<BenchResult> {
  const cap = options.isolatedCapSeconds;
  const run = await runIsolated(system, kind, size, options.redisUrl, cap);
  const why = `predicted ${round(predicted, 1)} s per workflow from smaller sizes: one run in a child process`;
  if (!run) {
    return {
      ...skippedRow(name, system, `did not finish within ${cap} s (${why}); per task > ${round((cap / size) * 1e6, 0)} µs`),
      tasks_per_workflow: size,
      per_task_us_at_least: round((cap / size) * 1e6, 0),
    };
  }
  return resultRow(name, system, 1, size, run.seconds, {
    per_task_us: round((run.seconds / size) * 1e6, 2),
    per_workflow_ms: round(run.seconds * 1000, 3),
    store_writes_per_workflow: run.writes,
    store_batches_per_workflow: run.batches,
    ...run.sizes,
    note: `single run (${why})`,
  });
}
