import { describe, expect, it } from 'vitest';
import { retentionMs } from '../../../server/store/retention.ts';

describe('retentionMs', () => {
  it('keeps forever for no retention or 0, at least 1 ms otherwise', () => {
    expect([retentionMs(undefined), retentionMs(0), retentionMs(1.5), retentionMs(0.0001)]).toEqual([0, 0, 1500, 1]);
  });

  it('refuses a negative or non-finite retention', () => {
    for (const seconds of [-1, NaN, Infinity]) expect(() => retentionMs(seconds)).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }));
  });
});
