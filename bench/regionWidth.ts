import { createActor } from 'xstate';
import { buildWorkflowMachine, type StepLayout, buildLaneMachine, type DelayActorInput, type TaskActorInput, type WorkflowActors, createMachineSetup } from '../server/engine/machine/index.ts';
import { fromLazySignalPromise } from '../server/engine/run/index.ts';
import { LiveStatus, initialStatus } from '../server/engine/status/index.ts';
import type { WorkflowDefinition } from '../shared/definition.ts';
import { median } from './measure.ts';

/**
 * Where parallel regions stop paying: one workflow of one parallel step of
 * `width` no-op tasks at a time, run by the engine's machine (its setup,
 * actions, status document and lanes; no store), once with one region per
 * task and once hosted in lanes (and, at one task, as that task's state alone).
 * Prints the median CPU µs per task of each. MAX_PARALLEL_REGIONS
 * (server/engine/parallelStepState.ts) is the widest step where regions cost
 * no more than lanes.
 *
 *   npx tsx bench/regionWidth.ts [--rounds 7] [--tasks 4000] [--widths 1,2,4,...]
 */
async function main(argv: string[]): Promise<void> {
  const arg = (name: string, fallback: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : fallback);
  const rounds = Number(arg('--rounds', '7'));
  const tasksPerRound = Number(arg('--tasks', '4000'));
  const widths = arg('--widths', '1,2,4,8,12,16,24,32,48,64,96,128,256').split(',').map(Number);

  const runs = new Map<string, LiveStatus>();
  const actors: WorkflowActors = {
    task: fromLazySignalPromise<unknown, TaskActorInput>(() => Promise.resolve(null)),
    delay: fromLazySignalPromise<void, DelayActorInput>(() => Promise.resolve()),
  };
  const setup = createMachineSetup({ ...actors, lane: buildLaneMachine(actors, { live: (id) => runs.get(id), changed: () => {} }) });

  console.log('width  regions µs/task  lanes µs/task  regions/lanes  one state µs/task');
  for (const width of widths) {
    const definition: WorkflowDefinition = {
      name: 'fan',
      steps: [{ execution_type: 'parallel', tasks: Array.from({ length: width }, (_, i) => ({ id: `t${i}`, name: 'noop', params: {} })) }],
    } as WorkflowDefinition;
    const shape = [{ kind: 'parallel' as const, width }];
    const perTask: Record<StepLayout, number> = { regions: 0, lanes: 0, sequence: NaN };
    for (const mode of (width === 1 ? ['regions', 'lanes', 'sequence'] : ['regions', 'lanes']) as StepLayout[]) {
      const machine = buildWorkflowMachine(setup, shape, () => mode);
      const reps = Math.max(1, Math.ceil(tasksPerRound / width));
      const runOne = (n: number) =>
        new Promise<void>((resolve, reject) => {
          const id = `wf${n}`;
          const live = new LiveStatus(initialStatus(id, definition, new Date().toISOString()));
          runs.set(id, live);
          live.workflowStarted(new Date().toISOString());
          const actor = createActor(machine, { input: { live } });
          actor.subscribe({
            complete: () => {
              runs.delete(id);
              if (live.doc.status === 'succeeded') resolve();
              else reject(new Error(`${mode} ${width}: ${live.doc.status}`));
            },
            error: reject,
          });
          actor.start();
        });
      const round = async () => {
        const start = process.cpuUsage();
        for (let i = 0; i < reps; i++) await runOne(i);
        const used = process.cpuUsage(start);
        return (used.user + used.system) / (reps * width);
      };
      await round(); // warm-up
      const all: number[] = [];
      for (let r = 0; r < rounds; r++) all.push(await round());
      perTask[mode] = median(all);
    }
    console.log(
      `${String(width).padStart(5)}  ${perTask.regions.toFixed(2).padStart(15)}  ${perTask.lanes.toFixed(2).padStart(13)}  ${(perTask.regions / perTask.lanes).toFixed(2).padStart(13)}  ${Number.isNaN(perTask.sequence) ? '' : perTask.sequence.toFixed(2).padStart(17)}`,
    );
  }
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
