import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** No-op task: the built-in `sleep` with 0 ms returns at once. */
const noop = (name: string) => ({ name: 'sleep', id: name, params: { ms: 0 } });

/** The original engine's sample shape (sequential a → b, then parallel c) with no-op tasks. */
export function seedShapeDefinition(): unknown {
  return {
    name: 'bench_seed_shape',
    steps: [
      { execution_type: 'sequential', tasks: [noop('task_a'), noop('task_b')] },
      { execution_type: 'parallel', tasks: [noop('task_c')] },
    ],
  };
}

/** Tasks per seed-shape workflow. */
export const SEED_SHAPE_TASKS = 3;

/** One step of `size` no-op tasks, parallel (fan-out) or sequential (long chain). */
export function oneStepDefinition(kind: 'parallel' | 'sequential', size: number): unknown {
  return {
    name: `bench_${kind}_${size}`,
    steps: [{ execution_type: kind, tasks: Array.from({ length: size }, (_, i) => noop(`t${i}`)) }],
  };
}

const SAMPLE = fileURLToPath(new URL('../examples/sample.json', import.meta.url));

/** examples/sample.json as a user posts it: the real task_a (1 s) → task_b (2 s), then task_c (1.5 s). */
export function sampleDefinition(): unknown {
  return JSON.parse(readFileSync(SAMPLE, 'utf8'));
}

/** Seconds one sample workflow takes when nothing waits: its tasks' sleeps along the path (1 + 2 + 1.5). */
export const SAMPLE_IDEAL_SECONDS = 4.5;

/**
 * The sample's shape with `sleep` tasks of a tenth of its times (0.45 s end
 * to end): the smoke run's stand-in, the same path through the server in
 * well under a second.
 */
export function shortSampleDefinition(): unknown {
  return sleepSampleDefinition('bench_short_sample', [100, 200, 150]);
}

/** The sample's shape (a → b, then c) with `sleep` tasks of the given ms. */
export function sleepSampleDefinition(name: string, [a, b, c]: [number, number, number]): unknown {
  const sleep = (id: string, ms: number) => ({ name: 'sleep', id, params: { ms } });
  return {
    name,
    steps: [
      { execution_type: 'sequential', tasks: [sleep('task_a', a), sleep('task_b', b)] },
      { execution_type: 'parallel', tasks: [sleep('task_c', c)] },
    ],
  };
}

/** One step of one `sleep` task of `ms` (failover: a workflow that is running when its process dies). */
export function oneSleepDefinition(ms: number): unknown {
  return { name: 'bench_one_sleep', steps: [{ execution_type: 'sequential', tasks: [{ name: 'sleep', id: 'long', params: { ms } }] }] };
}

/** Seconds one short sample takes when nothing waits. */
export const SHORT_SAMPLE_IDEAL_SECONDS = 0.45;
