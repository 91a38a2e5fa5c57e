import { z } from 'zod';
import { defineTask } from '../defineTask.ts';

/** Returns its params and the upstream outputs: shows data flow. */
export const echoTask = defineTask({
  name: 'echo',
  description: 'Returns { params, upstream }: its own params and the outputs of every task that finished before it.',
  params: z.looseObject({}),
  async run({ params, upstream }) {
    return { params, upstream };
  },
});
