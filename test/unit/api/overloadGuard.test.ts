import { describe, expect, it } from 'vitest';
import { FlowstateError } from '../../../server/errors.ts';
import { createOverloadGuard } from '../../../server/api/overloadGuard.ts';
import { recordingLogger } from '../../helpers/recordingLogger.ts';

/** Holds the event loop, as a burst read in one go or CPU-bound task code does. */
function holdLoop(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

const turns = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** True once a create is admitted within 3 s (a loaded test machine may itself stall the loop now and then). */
async function admittedSoon(guard: { admitCreate(): void }): Promise<boolean> {
  for (const end = performance.now() + 3000; performance.now() < end; ) {
    await turns(30);
    try {
      guard.admitCreate();
      return true;
    } catch {
      // still stalled: wait for an on-time beat
    }
  }
  return false;
}

describe('overload guard', () => {
  it('admits creates while the loop turns, refuses them (UNAVAILABLE, counted, logged once) while it is stalled past the bound, and admits again once a beat comes on time', async () => {
    const logger = recordingLogger();
    const guard = createOverloadGuard(150, logger);
    try {
      expect(await admittedSoon(guard)).toBe(true);
      const refusedBefore = guard.stats().refused_creates;
      const warnings = () => logger.entries.filter((e) => e.level === 'warn' && e.message.startsWith('refusing creates')).length;
      const warnedBefore = warnings();

      holdLoop(400);
      const refusals = [0, 1, 2].map(() => {
        try {
          guard.admitCreate();
          return undefined;
        } catch (error) {
          return error;
        }
      });
      for (const error of refusals) {
        expect(error).toBeInstanceOf(FlowstateError);
        expect((error as FlowstateError).code).toBe('UNAVAILABLE');
        expect((error as FlowstateError).message).toMatch(/overloaded .* nothing was stored/);
      }
      expect(guard.stats().refused_creates).toBe(refusedBefore + 3);
      expect(guard.stats().stalled_ms).toBeGreaterThan(150);
      // One warning for the storm, not one per request.
      expect(warnings()).toBeGreaterThanOrEqual(1);
      expect(warnings() - warnedBefore).toBeLessThanOrEqual(1);

      expect(await admittedSoon(guard)).toBe(true);
    } finally {
      guard.close();
    }
  });

  it('with a bound of 0 it never refuses', () => {
    const guard = createOverloadGuard(0, recordingLogger());
    try {
      holdLoop(100);
      expect(() => guard.admitCreate()).not.toThrow();
      expect(guard.stats().refused_creates).toBe(0);
    } finally {
      guard.close();
    }
  });
});
