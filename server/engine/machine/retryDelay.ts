/** Seconds before the first retry when a task sets retry_count but no retry_delay. */
export const DEFAULT_RETRY_DELAY_SECONDS = 1;
/** No single backoff waits longer than this. */
export const MAX_RETRY_DELAY_SECONDS = 300;

/** Exponential backoff: `base * 2^(failedAttempts-1)` seconds, capped. */
export function retryDelayMs(baseSeconds: number | undefined, failedAttempts: number): number {
  const base = baseSeconds ?? DEFAULT_RETRY_DELAY_SECONDS;
  const seconds = Math.min(base * 2 ** Math.max(0, failedAttempts - 1), MAX_RETRY_DELAY_SECONDS);
  return Math.round(seconds * 1000);
}
