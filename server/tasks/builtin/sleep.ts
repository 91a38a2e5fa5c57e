import { z } from 'zod';
import { defineTask } from '../defineTask.ts';
import { abortableSleep } from '../abortableSleep.ts';

/** Waits `ms` milliseconds (0 makes a no-op task, handy for benchmarks). */
export const sleepTask = defineTask({
  name: 'sleep',
  description: 'Waits `ms` milliseconds, then returns { slept_ms }.',
  params: z.object({ ms: z.number().int().min(0).max(86_400_000).default(0) }),
  async run({ params, signal }) {
    if (params.ms > 0) await abortableSleep(params.ms, signal);
    return { slept_ms: params.ms };
  },
});
