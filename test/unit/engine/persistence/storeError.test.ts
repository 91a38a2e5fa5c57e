import { describe, expect, it } from 'vitest';
import { fromStore, notFound, storeError } from '../../../../server/engine/persistence/storeError.ts';
import { FlowstateError } from '../../../../server/errors.ts';

describe('storeError', () => {
  it('makes anything a store threw UNAVAILABLE, keeping it as cause; a FlowstateError keeps its own code', () => {
    const socket = new Error('ECONNRESET');
    const e = storeError(socket);
    expect([e.code, e.cause]).toEqual(['UNAVAILABLE', socket]);
    const conflict = new FlowstateError('CONFLICT', 'taken');
    expect(storeError(conflict)).toBe(conflict);
  });

  it('fromStore passes results through and converts rejections', async () => {
    expect(await fromStore(async () => 42)).toBe(42);
    await expect(fromStore(() => Promise.reject(new Error('down')))).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });

  it('notFound names the id', () => {
    expect(notFound('abc')).toMatchObject({ code: 'NOT_FOUND', message: 'no workflow with id "abc"' });
  });
});
