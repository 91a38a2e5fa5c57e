import type { WorkflowDefinition } from '../../../shared/definition.ts';
import type { Rng } from './createRng.ts';

/**
 * The workflow the Redis fault tests run: a sequential step of two sleeps, a
 * parallel step of two or three sleeps and an echo, then a sequential echo
 * that must see every upstream output. Sleeps are 100-500 ms, so a 50-strong
 * batch is in flight for a couple of seconds, long enough to break Redis under it.
 */
export function sleepyWorkflow(rng: Rng, name: string): WorkflowDefinition {
  const ms = () => rng.int(100, 500);
  const parallel = Array.from({ length: rng.int(2, 3) }, (_, i) => ({ id: `p${i}`, name: 'sleep', params: { ms: ms() } }));
  return {
    name,
    steps: [
      {
        execution_type: 'sequential',
        tasks: [
          { id: 's0', name: 'sleep', params: { ms: ms() } },
          { id: 's1', name: 'sleep', params: { ms: ms() } },
        ],
      },
      { execution_type: 'parallel', tasks: [...parallel, { id: 'pe', name: 'echo', params: { from: name } }] },
      { execution_type: 'sequential', tasks: [{ id: 'last', name: 'echo' }] },
    ],
  };
}

/** What a crash-test workflow should end as, and the retry budget of its tasks. */
export interface CrashCase {
  definition: WorkflowDefinition;
  expected: 'succeeded' | 'failed';
}

/**
 * The mixed workflow of the SIGKILL test: sequential sleep + a task that fails
 * its first attempt (`retry_count` 2, 50 ms backoff), a parallel step of
 * sleeps and an echo, and a last echo. Every third one has a task that always
 * fails instead, so the failure path (later steps `skipped`) is crashed too.
 */
export function crashWorkflow(rng: Rng, name: string, index: number): CrashCase {
  const failing = index % 3 === 2;
  const flaky = failing
    ? { id: 'flaky', name: 'fail', params: { retry_count: 1, retry_delay: 0.05 } }
    : { id: 'flaky', name: 'fail', params: { times: 1, retry_count: 2, retry_delay: 0.05 } };
  return {
    expected: failing ? 'failed' : 'succeeded',
    definition: {
      name,
      steps: [
        { execution_type: 'sequential', tasks: [{ id: 'first', name: 'sleep', params: { ms: rng.int(20, 150) } }, flaky] },
        {
          execution_type: 'parallel',
          tasks: [
            { id: 'pa', name: 'sleep', params: { ms: rng.int(20, 200) } },
            { id: 'pb', name: 'sleep', params: { ms: rng.int(20, 200) } },
            { id: 'pc', name: 'echo', params: { n: index } },
          ],
        },
        { execution_type: 'sequential', tasks: [{ id: 'last', name: 'echo' }] },
      ],
    },
  };
}

/** The soak mix: what each shape should end as. */
export type SoakShape = 'quick' | 'parallel' | 'failing' | 'retrying' | 'payload';

/** Shapes in the order the soak cycles through them (so counts per shape are exact). */
export const SOAK_SHAPES: readonly SoakShape[] = ['quick', 'parallel', 'failing', 'retrying', 'payload'];

/** The terminal status each soak shape must reach. */
export const SOAK_EXPECTED: Record<SoakShape, 'succeeded' | 'failed'> = {
  quick: 'succeeded',
  parallel: 'succeeded',
  failing: 'failed',
  retrying: 'succeeded',
  payload: 'succeeded',
};

/**
 * One soak workflow of `shape`. A `payload` workflow gives each of four
 * parallel echos a `blobBytes` string; with their echoed outputs and the last
 * task's upstream it holds 12 copies, so a leak of whole workflows shows up in
 * the server's RSS (see the soak test).
 */
export function soakWorkflow(shape: SoakShape, index: number, blobBytes = 1024): WorkflowDefinition {
  const name = `soak-${shape}-${index}`;
  switch (shape) {
    case 'quick':
      return { name, steps: [{ execution_type: 'sequential', tasks: [{ name: 'sleep', params: { ms: 5 } }, { name: 'echo' }] }] };
    case 'parallel':
      return {
        name,
        steps: [
          { execution_type: 'parallel', tasks: [{ name: 'sleep', params: { ms: 10 } }, { name: 'sleep', params: { ms: 20 } }, { name: 'echo' }] },
          { execution_type: 'sequential', tasks: [{ name: 'echo' }] },
        ],
      };
    case 'failing':
      return {
        name,
        steps: [
          { execution_type: 'sequential', tasks: [{ name: 'echo' }, { name: 'fail', params: { message: 'soak failure' } }] },
          { execution_type: 'parallel', tasks: [{ name: 'echo' }] },
        ],
      };
    case 'retrying':
      return { name, steps: [{ execution_type: 'sequential', tasks: [{ name: 'fail', params: { times: 2, retry_count: 2, retry_delay: 0.01 } }, { name: 'echo' }] }] };
    case 'payload':
      return {
        name,
        steps: [
          { execution_type: 'parallel', tasks: Array.from({ length: 4 }, () => ({ name: 'echo', params: { blob: 'x'.repeat(blobBytes) } })) },
          { execution_type: 'sequential', tasks: [{ name: 'echo' }] },
        ],
      };
  }
}
