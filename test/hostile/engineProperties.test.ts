import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, type Limits } from '../../shared/limits.ts';
import { FlowstateError } from '../../server/errors.ts';
import type { WorkflowEngineWithInternals } from '../../server/engine/createEngine.ts';
import type { WorkflowStore } from '../../server/store/WorkflowStore.ts';
import { startEngine, waitForEnd } from '../helpers/engine.ts';
import { checkEnded, checkRejection } from './checkRun.ts';
import { definitionArbitrary, withFreshIdempotencyKey } from './definitionArbitrary.ts';
import { expectedProblems } from './definitionOracle.ts';

/** Small bounds, so random definitions cross them often. */
const LIMITS: Limits = { ...DEFAULT_LIMITS, maxSteps: 4, maxTasksPerStep: 4, maxTotalTasks: 10, maxParamsBytes: 256, maxNameLength: 24 };
const RUNS = 250;

describe('property: a random definition is rejected naming a real field, or runs to a consistent end (engine)', () => {
  let engine: WorkflowEngineWithInternals;
  let store: WorkflowStore;
  let known: Set<string>;
  const tally = { accepted: 0, rejected: 0, succeeded: 0, failed: 0, cancelled: 0 };

  beforeAll(async () => {
    ({ engine, store } = await startEngine({ limits: LIMITS }));
    known = new Set(engine.tasks().map((t) => t.name));
  });
  afterAll(async () => {
    await engine.stop();
    console.log(`engine properties: ${RUNS} definitions tried, ${JSON.stringify(tally)}`);
  });

  it(`holds for ${RUNS} random definitions (some cancelled mid-run)`, async () => {
    let serial = 0;
    // One run in six is cancelled 0-15 ms after create.
    const cancelAfterMs = fc.oneof({ weight: 5, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 15 }) });
    await fc.assert(
      fc.asyncProperty(definitionArbitrary({ limits: LIMITS, testTasks: ['fatal', 'throw_string', 'non_json', 'hang'] }), cancelAfterMs, async (raw, cancelAfter) => {
        const input = withFreshIdempotencyKey(raw, `idem-${++serial}-${Date.now()}`);
        let created;
        try {
          created = await engine.create(input);
        } catch (error) {
          expect(error).toBeInstanceOf(FlowstateError);
          expect((error as FlowstateError).code).toBe('BAD_REQUEST');
          checkRejection(input, (error as FlowstateError).issues, LIMITS, known);
          tally.rejected++;
          return;
        }
        tally.accepted++;
        expect([...expectedProblems(input, LIMITS, known)], `accepted a definition the oracle finds invalid: ${JSON.stringify(input)}`).toEqual([]);
        if (cancelAfter !== null) {
          await new Promise((r) => setTimeout(r, cancelAfter));
          await engine.cancel(created.id);
        }
        const end = await waitForEnd(engine, created.id, 5000);
        const def = input as Record<string, unknown>;
        checkEnded(def, end, { cancelRequested: cancelAfter !== null });
        tally[end.status as 'succeeded' | 'failed' | 'cancelled']++;

        // What the store holds once written is what the engine reported.
        await engine.flushed();
        expect(await store.getStatus(created.id)).toEqual(end);
        // The same idempotency key answers with the first workflow, however it ended.
        if (typeof def.idempotency_key === 'string') expect((await engine.create(input)).id).toBe(created.id);
      }),
      { numRuns: RUNS },
    );
    // The generator is not degenerate: both sides of the property were exercised, every outcome seen.
    expect(tally.accepted).toBeGreaterThan(RUNS / 5);
    expect(tally.rejected).toBeGreaterThan(RUNS / 5);
    expect(tally.succeeded).toBeGreaterThan(0);
    expect(tally.failed).toBeGreaterThan(0);
    expect(tally.cancelled).toBeGreaterThan(0);
  });
});
