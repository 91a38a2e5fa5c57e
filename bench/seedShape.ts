import type { BenchOptions } from './options.ts';
import { resultRow, round, type BenchResult } from './result.ts';
import { measureRounds } from './measure.ts';
import { openFlowstate, type FlowstateSystem } from './flowstateHarness.ts';
import { openBullmq } from './bullmqFlow.ts';
import { runBareXState } from './xstateBare.ts';
import { SEED_SHAPE_TASKS, seedShapeDefinition } from './definitions.ts';

const NAME = 'seed-shape';

/**
 * The original's sample shape with no-op tasks, thousands in flight, on four
 * systems: flowstate on memory and on Redis, a BullMQ flow of the same tree
 * on the same Redis (its best worker concurrency), and bare XState (the floor).
 */
export async function seedShape(options: BenchOptions): Promise<BenchResult[]> {
  const rows: BenchResult[] = [];
  for (const system of ['flowstate-memory', 'flowstate-redis'] as FlowstateSystem[]) rows.push(await flowstateRow(system, options));
  rows.push(await bullmqRow(options));
  rows.push(await xstateRow(options));
  return rows;
}

async function flowstateRow(system: FlowstateSystem, options: BenchOptions): Promise<BenchResult> {
  const harness = await openFlowstate(system, { redisUrl: options.redisUrl });
  try {
    const n = options.seedWorkflows;
    const before = harness.engine.persistence;
    const endedBefore = harness.ended;
    const rounds = await measureRounds(async () => (await harness.runWorkflows(seedShapeDefinition(), n)).seconds, options.rounds);
    const after = harness.engine.persistence;
    const workflows = harness.ended - endedBefore;
    if (harness.unsuccessful > 0) throw new Error(`${system}: ${harness.unsuccessful} workflows did not succeed`);
    return resultRow(NAME, system, n, SEED_SHAPE_TASKS, rounds.median, {
      rounds_s: rounds.all.map((s) => round(s, 3)),
      store_writes_per_workflow: round((after.writes - before.writes) / workflows, 2),
      store_batches: after.batches - before.batches,
      max_concurrent_workflows: 10_000,
    });
  } finally {
    await harness.close();
  }
}

async function bullmqRow(options: BenchOptions): Promise<BenchResult> {
  const bullmq = openBullmq(options.redisUrl);
  try {
    const n = options.seedWorkflows;
    // One probe round per concurrency level (after a warm-up), then the timed rounds at the best.
    const probes: Record<string, number> = {};
    await bullmq.useConcurrency(options.bullmqConcurrency[0]);
    await bullmq.runFlows(Math.min(n, 500));
    for (const c of options.bullmqConcurrency) {
      await bullmq.useConcurrency(c);
      probes[c] = round(n / (await bullmq.runFlows(n)), 1);
    }
    const best = Number(Object.entries(probes).sort((a, b) => b[1] - a[1])[0][0]);
    await bullmq.useConcurrency(best);
    const rounds = await measureRounds(() => bullmq.runFlows(n), options.rounds, 0);
    return resultRow(NAME, 'bullmq-flow', n, SEED_SHAPE_TASKS, rounds.median, {
      rounds_s: rounds.all.map((s) => round(s, 3)),
      concurrency: best,
      probe_workflows_per_s: probes,
    });
  } finally {
    await bullmq.close();
  }
}

async function xstateRow(options: BenchOptions): Promise<BenchResult> {
  const n = options.seedWorkflows;
  const rounds = await measureRounds(() => runBareXState(n), options.rounds);
  return resultRow(NAME, 'xstate-bare', n, SEED_SHAPE_TASKS, rounds.median, { rounds_s: rounds.all.map((s) => round(s, 3)) });
}
