import { openFlowstate } from './flowstateHarness.ts';
import { oneStepDefinition, seedShapeDefinition } from './definitions.ts';
import { countRedisCommands } from './redisCommandCounter.ts';

/** The seed-shape systems: `flowstate-redis` as deployed (through BullMQ), `-direct` the single-process path. */
const SYSTEMS = {
  'flowstate-memory': { system: 'flowstate-memory', cluster: false },
  'flowstate-redis': { system: 'flowstate-redis', cluster: true },
  'flowstate-redis-direct': { system: 'flowstate-redis', cluster: false },
} as const;

/**
 * What bench/profile.ts runs under `node --cpu-prof`: one warm-up round and
 * `rounds` rounds of `workflows` workflows of one shape on one system.
 *
 *   node --import tsx --cpu-prof bench/profileTarget.ts <system> <shape> <workflows> <rounds> <redisUrl>
 *
 * system: flowstate-memory, flowstate-redis (through BullMQ) or flowstate-redis-direct;
 * shape: `seed` (the seed shape) or `parallel:<n>` / `sequential:<n>` (one step of n no-op tasks).
 * Also prints the Redis commands and round trips per workflow of the timed rounds, by command.
 */
async function main(argv: string[]): Promise<void> {
  const [system, shape, workflows, rounds, redisUrl] = argv;
  const definition = shape === 'seed' ? seedShapeDefinition() : oneStepDefinition(shape.split(':')[0] as 'parallel' | 'sequential', Number(shape.split(':')[1]));
  const target = SYSTEMS[system as keyof typeof SYSTEMS];
  if (!target) throw new Error(`unknown system ${system} (known: ${Object.keys(SYSTEMS).join(', ')})`);
  const harness = await openFlowstate(target.system, { redisUrl, cluster: target.cluster });
  try {
    await harness.runWorkflows(definition, Number(workflows));
    const counter = countRedisCommands();
    const times: number[] = [];
    for (let i = 0; i < Number(rounds); i++) times.push((await harness.runWorkflows(definition, Number(workflows))).seconds);
    counter.stop();
    const total = times.reduce((a, b) => a + b, 0);
    const n = Number(rounds) * Number(workflows);
    console.log(`${system} ${shape}: ${rounds} x ${workflows} workflows in ${total.toFixed(2)} s (${(n / total).toFixed(0)} workflows/s)`);
    const { counts } = counter;
    if (counts.commands > 0) {
      // Lock renewals and stalled checks are per interval, not per workflow: short rounds show few.
      const perWf = (v: number) => (v / n).toFixed(2);
      const names = [...counts.byName.entries()].sort((a, b) => b[1] - a[1]).map(([name, c]) => `  ${perWf(c).padStart(6)}  ${name}`);
      console.log(`Redis per workflow: ${perWf(counts.roundTrips)} round trips, ${perWf(counts.commands)} commands\n${names.join('\n')}`);
    }
  } finally {
    await harness.close();
  }
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
