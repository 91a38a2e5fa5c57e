import { z } from 'zod';
import { defineTask } from '../defineTask.ts';

/** Fails its first `times` attempts (or every attempt), then succeeds. */
export const failTask = defineTask({
  name: 'fail',
  description: 'Fails with `message` on its first `times` attempts (every attempt when `times` is absent), then succeeds.',
  params: z.object({
    message: z.string().max(1000).default('task failed on purpose'),
    times: z.number().int().min(0).max(1000).optional(),
  }),
  async run({ params, attempt }) {
    if (params.times === undefined || attempt <= params.times) {
      throw new Error(params.message);
    }
    return { failed_attempts: params.times, succeeded_on_attempt: attempt };
  },
});
