import { describe, expect, it } from 'vitest';
import { FlowstateError } from '../../../server/errors.ts';
import { toStoreError } from '../../../server/store/redisError.ts';

/** An error reply as ioredis raises it. */
const reply = (message: string) => Object.assign(new Error(message), { name: 'ReplyError' });

describe('toStoreError', () => {
  it('makes a Redis that is away or transiently refusing UNAVAILABLE (retried, 503)', () => {
    for (const error of [new Error('Connection is closed.'), reply('LOADING Redis is loading'), reply('BUSY script'), reply('READONLY replica'), reply('OOM command not allowed')]) {
      const e = toStoreError(error, 'save');
      expect([e.code, e.message, e.cause], error.message).toEqual(['UNAVAILABLE', 'Redis is unavailable (save)', error]);
    }
  });

  it('makes any other error reply INTERNAL: a bug, not a passing outage', () => {
    const e = toStoreError(reply('ERR wrong number of arguments'), 'list');
    expect([e.code, e.message]).toEqual(['INTERNAL', 'Redis refused list']);
  });

  it('passes a FlowstateError through unchanged', () => {
    const own = new FlowstateError('CONFLICT', 'taken');
    expect(toStoreError(own, 'create')).toBe(own);
  });
});
