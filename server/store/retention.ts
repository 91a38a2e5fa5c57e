import { FlowstateError } from '../errors.ts';

/**
 * Milliseconds a finished workflow is kept, or 0 to keep it forever.
 * `seconds` may be fractional; undefined or 0 means forever; anything else
 * that is not a positive finite number is a configuration mistake.
 */
export function retentionMs(seconds: number | undefined): number {
  if (seconds === undefined || seconds === 0) return 0;
  if (!Number.isFinite(seconds) || seconds < 0) {
    throw new FlowstateError('BAD_REQUEST', `retentionSeconds must be a positive number of seconds, got ${seconds}`);
  }
  // Below a millisecond would round to "forever" in PEXPIRE terms; keep at least 1 ms.
  return Math.max(1, Math.round(seconds * 1000));
}
