import type { BenchOptions } from './options.ts';
import { resultRow, round, type BenchResult } from './result.ts';
import { median } from './measure.ts';
import { openFlowstate, type FlowstateHarness } from './flowstateHarness.ts';
import { openBullmq, type BullmqHarness } from './bullmqFlow.ts';
import { runBareXState } from './xstateBare.ts';
import { SEED_SHAPE_TASKS, seedShapeDefinition } from './definitions.ts';
import { loadConfig } from '../server/config.ts';

/** The flowstate rows' concurrency: high, so a round measures throughput, not the admission queue. */
const HIGH_CONCURRENCY = 10_000;

const NAME = 'seed-shape';

/**
 * Adjacent pairs of rounds of flowstate-memory and xstate-bare per round of
 * the scenario (order alternating). Their ratio is a target (>= 0.9), and
 * their rounds take under a second, so one major GC moves a round by ±30%:
 * with 3 rounds each and the ratio of the two medians, two quick runs at one
 * commit read 1.16 and 0.74. The ratio is the median of each pair's ratio,
 * which also cancels drift over the run (JIT warm-up, a growing heap).
 */
const MEMORY_BARE_PAIRS = 5;

/** One system of the scenario: a timed round, and what it adds to its row. */
interface Contender {
  system: string;
  round(): Promise<number>;
  extra(): Record<string, unknown>;
  close(): Promise<void>;
}

/**
 * The original's sample shape with no-op tasks, thousands in flight, on six
 * systems: flowstate on memory, on Redis as deployed (through BullMQ) and on
 * Redis without the cluster (one process, direct), a BullMQ flow of the same tree
 * on the same Redis (its best worker concurrency), one no-op BullMQ job per
 * workflow (context: the cluster mode's least BullMQ work), and bare XState
 * (the floor). Rounds are interleaved (round 1 of every system, then round 2...),
 * so a burst of load on a shared machine hits all systems alike, and each
 * round starts with the next system, so no system always runs right after
 * the same one (and pays for the garbage it left: the memory store keeps
 * every workflow, and a major GC can fall into the next system's round).
 */
export async function seedShape(options: BenchOptions): Promise<BenchResult[]> {
  const n = options.seedWorkflows;
  const contenders: Contender[] = [];
  try {
    const redisUrl = options.redisUrl;
    const high = { redisUrl, maxConcurrentWorkflows: HIGH_CONCURRENCY };
    const memory = flowstate('flowstate-memory', await openFlowstate('flowstate-memory', high), n, HIGH_CONCURRENCY);
    contenders.push(memory);
    // As deployed: every workflow a BullMQ job, taken by the process's own worker at
    // the server's default concurrency (BullMQ's admission is the queue itself;
    // measured here: 1,000 held jobs ran ~1.3x the workflows/s of 10,000).
    const deployed = loadConfig({}).maxConcurrentWorkflows;
    contenders.push(flowstate('flowstate-redis', await openFlowstate('flowstate-redis', { redisUrl, cluster: true, maxConcurrentWorkflows: deployed }), n, deployed));
    // The single-process path (no BullMQ): what the cluster mode costs is the gap between these two rows.
    contenders.push(flowstate('flowstate-redis-direct', await openFlowstate('flowstate-redis', high), n, HIGH_CONCURRENCY));
    contenders.push(await bullmq('bullmq-flow', openBullmq(options.redisUrl, 'flow'), n, options.bullmqConcurrency));
    // Context: one no-op job per workflow, the least BullMQ work a workflow of the cluster mode does (see ratios.ts).
    contenders.push(await bullmq('bullmq-job', openBullmq(options.redisUrl, 'job'), n, options.bullmqConcurrency));
    const bare: Contender = { system: 'xstate-bare', round: () => runBareXState(n), extra: () => ({}), close: async () => {} };
    contenders.push(bare);

    for (const c of contenders) await c.round(); // warm-up
    const times = new Map<Contender, number[]>(contenders.map((c) => [c, []]));
    const pairRatios: number[] = [];
    // One turn of each system per round; memory and bare take theirs together, as adjacent pairs.
    const turns = contenders.filter((c) => c !== bare);
    for (let r = 0; r < options.rounds; r++) {
      for (let i = 0; i < turns.length; i++) {
        const c = turns[(r + i) % turns.length];
        if (c !== memory) {
          times.get(c)!.push(await c.round());
          continue;
        }
        for (let k = 0; k < MEMORY_BARE_PAIRS; k++) {
          const [first, second] = k % 2 === 0 ? [memory, bare] : [bare, memory];
          const a = await first.round();
          const b = await second.round();
          times.get(first)!.push(a);
          times.get(second)!.push(b);
          // workflows/s of memory over bare's: bare's seconds over memory's.
          pairRatios.push(first === memory ? b / a : a / b);
        }
      }
    }

    return contenders.map((c) => {
      const all = times.get(c)!;
      const paired = c === memory ? { paired_ratio_to_xstate_bare: round(median(pairRatios), 3), pair_ratios: pairRatios.map((v) => round(v, 3)) } : {};
      return resultRow(NAME, c.system, n, SEED_SHAPE_TASKS, median(all), { rounds_s: all.map((s) => round(s, 3)), ...paired, ...c.extra() });
    });
  } finally {
    for (const c of contenders) await c.close();
  }
}

function flowstate(system: string, harness: FlowstateHarness, n: number, concurrency: number): Contender {
  const before = harness.engine.persistence;
  const endedBefore = harness.ended;
  return {
    system,
    round: async () => (await harness.runWorkflows(seedShapeDefinition(), n)).seconds,
    extra: () => {
      if (harness.unsuccessful > 0) throw new Error(`${system}: ${harness.unsuccessful} workflows did not succeed`);
      const after = harness.engine.persistence;
      const workflows = harness.ended - endedBefore;
      return {
        store_writes_per_workflow: round((after.writes - before.writes) / workflows, 2),
        store_batches: after.batches - before.batches,
        max_concurrent_workflows: concurrency,
        ...(system === 'flowstate-redis' ? { cluster: `BullMQ, one process (worker concurrency ${concurrency})` } : {}),
      };
    },
    close: () => harness.close(),
  };
}

/** Probes each worker concurrency level with half a round (after a warm-up) and keeps the best. */
async function bullmq(system: 'bullmq-flow' | 'bullmq-job', harness: BullmqHarness, n: number, levels: number[]): Promise<Contender> {
  const probes: Record<string, number> = {};
  const probeFlows = Math.ceil(n / 2);
  await harness.useConcurrency(levels[0]);
  await harness.runFlows(Math.min(n, 500));
  for (const c of levels) {
    await harness.useConcurrency(c);
    probes[c] = round(probeFlows / (await harness.runFlows(probeFlows)), 1);
  }
  const best = Number(Object.entries(probes).sort((a, b) => b[1] - a[1])[0][0]);
  await harness.useConcurrency(best);
  return {
    system,
    round: () => harness.runFlows(n),
    extra: () => ({
      concurrency: best,
      probe_workflows_per_s: probes,
      add: system === 'bullmq-flow' ? 'FlowProducer.addBulk, 200 flows a call' : 'Queue.addBulk, 200 jobs a call',
      workers: 1,
    }),
    close: () => harness.close(),
  };
}
