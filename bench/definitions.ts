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
