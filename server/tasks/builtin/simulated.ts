import { z } from 'zod';
import { defineTask } from '../defineTask.ts';
import { abortableSleep } from '../abortableSleep.ts';

/**
 * The original engine's simulated tasks: each sleeps a fixed time and reports
 * it. They take only the engine's params (the original's sample uses no
 * other), so a typo such as `retry_cout` is rejected rather than ignored.
 */
function simulated<const N extends string>(name: N, seconds: number) {
  return defineTask({
    name,
    description: `Simulated work from the original engine: sleeps ${seconds} s. Takes only the engine's params.`,
    params: z.strictObject({}),
    async run({ signal }) {
      await abortableSleep(seconds * 1000, signal);
      return { task: name, slept_seconds: seconds };
    },
  });
}

export const taskA = simulated('task_a', 1);
export const taskB = simulated('task_b', 2);
export const taskC = simulated('task_c', 1.5);
