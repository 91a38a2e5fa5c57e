import { describe, expect, it } from 'vitest';
import { reusedFor } from '../../server/reusedFor.ts';

describe('reusedFor', () => {
  it('answers every call within `ms` from one read, then reads again', async () => {
    let reads = 0;
    const read = reusedFor(40, async () => ++reads);
    expect(await Promise.all([read(), read(), read()])).toEqual([1, 1, 1]);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(await read()).toBe(2);
    expect(reads).toBe(2);
  });

  it('does not reuse a read that failed', async () => {
    let reads = 0;
    const read = reusedFor(10_000, async () => {
      if (++reads === 1) throw new Error('Redis away');
      return reads;
    });
    await expect(read()).rejects.toThrow('Redis away');
    expect(await read()).toBe(2);
  });
});
