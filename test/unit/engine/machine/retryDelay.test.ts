import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_DELAY_SECONDS, MAX_RETRY_DELAY_SECONDS, retryDelayMs } from '../../../../server/engine/machine/retryDelay.ts';

describe('retryDelayMs', () => {
  it('doubles from retry_delay with each failed attempt', () => {
    expect([1, 2, 3, 4].map((failed) => retryDelayMs(0.5, failed))).toEqual([500, 1000, 2000, 4000]);
  });

  it('starts from the default delay when the task sets none', () => {
    expect(retryDelayMs(undefined, 1)).toBe(DEFAULT_RETRY_DELAY_SECONDS * 1000);
    expect(retryDelayMs(undefined, 3)).toBe(DEFAULT_RETRY_DELAY_SECONDS * 4000);
  });

  it('never waits longer than the cap, however many attempts failed', () => {
    expect(retryDelayMs(10, 6)).toBe(MAX_RETRY_DELAY_SECONDS * 1000);
    expect(retryDelayMs(1, 10_000)).toBe(MAX_RETRY_DELAY_SECONDS * 1000);
  });

  it('waits retry_delay before the first retry even when called with no failure counted, and 0 means at once', () => {
    expect(retryDelayMs(2, 0)).toBe(2000);
    expect(retryDelayMs(0, 5)).toBe(0);
  });
});
