import { openFlowstate, type FlowstateSystem } from './flowstateHarness.ts';
import { oneStepDefinition, seedShapeDefinition } from './definitions.ts';

/**
 * What bench/profile.ts runs under `node --cpu-prof`: one warm-up round and
 * `rounds` rounds of `workflows` workflows of one shape on one system.
 *
 *   node --import tsx --cpu-prof bench/profileTarget.ts <system> <shape> <workflows> <rounds> <redisUrl>
 *
 * shape: `seed` (the seed shape) or `parallel:<n>` / `sequential:<n>` (one step of n no-op tasks).
 */
async function main(argv: string[]): Promise<void> {
  const [system, shape, workflows, rounds, redisUrl] = argv;
  const definition = shape === 'seed' ? seedShapeDefinition() : oneStepDefinition(shape.split(':')[0] as 'parallel' | 'sequential', Number(shape.split(':')[1]));
  const harness = await openFlowstate(system as FlowstateSystem, { redisUrl });
  try {
    await harness.runWorkflows(definition, Number(workflows));
    const times: number[] = [];
    for (let i = 0; i < Number(rounds); i++) times.push((await harness.runWorkflows(definition, Number(workflows))).seconds);
    const total = times.reduce((a, b) => a + b, 0);
    console.log(`${system} ${shape}: ${rounds} x ${workflows} workflows in ${total.toFixed(2)} s (${((Number(rounds) * Number(workflows)) / total).toFixed(0)} workflows/s)`);
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
