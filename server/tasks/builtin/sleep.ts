import { z } from 'zod';
import { defineTask } from '../defineTask.ts';
import { abortableSleep } from '../abortableSleep.ts';

/** Waits `ms` milliseconds (0 makes a no-op task, handy for benchmarks). */
export const sleepTask = defineTask({
  name: 'sleep',
  description: 'Waits `ms` milliseconds, then returns { slept_ms }.',
  params: z.object({ ms: z.number().int().min(0).max(86_400_000).default(0) }),
  async run(ctx) {
    // Reads its signal only when it waits: an unread signal is never made.
    if (ctx.params.ms > 0) await abortableSleep(ctx.params.ms, ctx.signal);
    return { slept_ms: ctx.params.ms };
  },
});
