import fc from 'fast-check';
import type { Limits } from '../../shared/limits.ts';

/** Task names only the test engine registers (test/helpers/engine.ts); the real server knows none of them. */
export type TestOnlyTask = 'fatal' | 'throw_string' | 'non_json' | 'hang';

/** What {@link definitionArbitrary} may generate. */
export interface DefinitionArbitraryOptions {
  /** The bounds the engine under test enforces; the generator crosses them now and then. */
  limits: Limits;
  /** Misbehaving tasks the engine under test registers, on top of sleep, fail and echo. */
  testTasks?: readonly TestOnlyTask[];
}

/** Stands for "a valid idempotency key"; the test swaps in a fresh one per run so runs never collide. */
export const FRESH_IDEMPOTENCY_KEY = '<fresh>';

/** Timeouts at or under this many seconds are "tight": a 20 ms sleep always outlives them. */
export const TIGHT_TIMEOUT_S = 0.005;

// `validOnly`: every field drawn from its valid values. Otherwise a field is invalid about one time in seven.
function pick(validOnly: boolean, valid: fc.Arbitrary<unknown>, invalid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return validOnly ? valid : fc.oneof({ weight: 6, arbitrary: valid }, { weight: 1, arbitrary: invalid });
}

/**
 * Now and then (only when not `validOnly`), one key the schema does not declare is added to the
 * object: a typo of a real key or a plain stranger (issue 11: strict at every level).
 */
function withStrayKey(v: boolean, arb: fc.Arbitrary<unknown>, strays: ReadonlyArray<readonly [string, unknown]>): fc.Arbitrary<unknown> {
  if (v) return arb;
  const added = fc.tuple(arb, fc.constantFrom(...strays)).map(([o, [key, value]]) =>
    typeof o === 'object' && o !== null && !Array.isArray(o) ? { ...o, [key]: value } : o,
  );
  return fc.oneof({ weight: 8, arbitrary: arb }, { weight: 1, arbitrary: added });
}

// Keys of an object built by fc.record with requiredKeys [] are simply absent, never `undefined`: JSON would drop them.
function engineParams(v: boolean): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .record(
      {
        timeout: pick(v, fc.constantFrom(0.000001, TIGHT_TIMEOUT_S, 1, 30, 86_400), fc.constantFrom(0, -1, 86_401, 1e12, 'ten', null)),
        retry_count: pick(v, fc.constantFrom(0, 1, 2, 3), fc.constantFrom(-1, 1.5, 101, '2')),
        retry_delay: pick(v, fc.constantFrom(0, 0.001, 0.01), fc.constantFrom(-0.01, 3_601, 'x')),
        priority: pick(v, fc.constantFrom('low', 'normal', 'high'), fc.constantFrom('urgent', 1, '')),
      },
      { requiredKeys: [] },
    )
    .map((p) => {
      // Retries without a delay wait the default 1 s: keep the suite fast with a tiny one.
      if (typeof p.retry_count === 'number' && p.retry_count > 0 && !('retry_delay' in p)) return { ...p, retry_delay: 0.001 };
      return p;
    });
}

function ownParams(name: string, v: boolean): fc.Arbitrary<Record<string, unknown>> {
  switch (name) {
    case 'sleep':
      return fc.record({ ms: pick(v, fc.constantFrom(0, 2, 20), fc.constantFrom(-5, 'soon', 1.5)) }, { requiredKeys: [] });
    case 'fail':
      return fc.record(
        {
          times: pick(v, fc.constantFrom(0, 1, 2, 3), fc.constantFrom(-1, 2.5, 'x')),
          message: pick(v, fc.constantFrom('boom', 'ünïcödé ✓ \u202e'), fc.constantFrom(5, 'm'.repeat(1001))),
        },
        { requiredKeys: [] },
      );
    case 'echo': {
      const keys = {
        note: fc.string({ maxLength: 12, unit: 'grapheme' }),
        // Prototype-ish keys are plain data to a task: stored as given, with no effect.
        constructor: fc.constant({ prototype: { polluted: true } }),
        toString: fc.constant('not a function'),
        nested: fc.constant({ a: [1, { b: null }] }),
      };
      // Over the 256-byte params bound of the test limits.
      return v ? fc.record(keys, { requiredKeys: [] }) : fc.record({ ...keys, blob: fc.constant('b'.repeat(300)) }, { requiredKeys: [] });
    }
    default:
      return fc.constant({});
  }
}

function taskOf(name: string, v: boolean, limits: Limits): fc.Arbitrary<Record<string, unknown>> {
  // `retry_cout` and `timout` are near misses of engine params (refused even by echo); `seconds` and `extra` only where the schema is strict.
  const params = withStrayKey(
    v,
    fc.tuple(ownParams(name, v), engineParams(v)).map(([own, engine]) => ({ ...own, ...engine })),
    [['retry_cout', 3], ['timout', 1], ['seconds', 1], ['extra', 'x']],
  );
  // `hang` ignores its signal: only a tight timeout ends it.
  const hangParams = fc.record({ retry_count: fc.constantFrom(0, 1), retry_delay: fc.constant(0) }).map((p) => ({ ...p, timeout: TIGHT_TIMEOUT_S }));
  const task = fc.record(
    {
      name: fc.constant(name),
      params: name === 'hang' ? hangParams : pick(v, params, fc.constantFrom([], 'x', null)),
      id: pick(v, fc.constantFrom('a', 'b', 'c', 'task-1', 'T_2'), fc.constantFrom('../x', 'a b', '', 'é', '__proto__', 'i'.repeat(limits.maxNameLength + 1))),
      optional: pick(v, fc.boolean(), fc.constantFrom('yes', 1)),
    },
    { requiredKeys: name === 'hang' ? ['name', 'params'] : ['name'] },
  );
  return withStrayKey(v, task, [['optinal', true], ['prams', {}], ['retry_count', 1]]) as fc.Arbitrary<Record<string, unknown>>;
}

function taskArbitrary(v: boolean, names: readonly string[], limits: Limits): fc.Arbitrary<unknown> {
  // Tasks that can succeed come up more often than the ones that always fail, so both outcomes are common.
  const known = names.map((n) => ({ weight: n === 'sleep' || n === 'echo' ? 3 : n === 'fail' ? 2 : 1, arbitrary: taskOf(n, v, limits) }));
  if (v) return fc.oneof(...known);
  return fc.oneof(
    ...known.map(({ weight, arbitrary }) => ({ weight: weight * 2, arbitrary })),
    // Well-formed names nobody registered: a registry-level rejection.
    { weight: 1, arbitrary: fc.record({ name: fc.constantFrom('nope', 'Sleep', 'task_d', 'ech0') }) },
    // Names the wire schema refuses.
    { weight: 1, arbitrary: fc.record({ name: fc.constantFrom('', 'a\u0000b', 'n'.repeat(limits.maxNameLength + 1), 7, null) }) },
    { weight: 1, arbitrary: fc.constantFrom(1, null, 'echo', []) },
  );
}

function stepArbitrary(v: boolean, names: readonly string[], limits: Limits): fc.Arbitrary<unknown> {
  const step = withStrayKey(
    v,
    fc.record(
      {
        execution_type: pick(v, fc.constantFrom('sequential', 'parallel'), fc.constantFrom('sideways', 'SEQUENTIAL', 3)),
        fail_fast: pick(v, fc.boolean(), fc.constantFrom('yes', 0)),
        tasks: fc.array(taskArbitrary(v, names, limits), { minLength: v ? 1 : 0, maxLength: v ? 3 : limits.maxTasksPerStep + 1 }),
      },
      { requiredKeys: ['execution_type', 'tasks'] },
    ),
    [['fail_fsat', true], ['parallel', true]],
  );
  if (v) return step;
  return fc.oneof({ weight: 8, arbitrary: step }, { weight: 1, arbitrary: fc.constantFrom({ execution_type: 'sequential' }, { execution_type: 'parallel', tasks: 'echo' }, null, 5) });
}

/** In a definition meant to be valid, a task id already taken is dropped (the task then gets a derived one). */
function dropDuplicateIds(def: Record<string, unknown>): Record<string, unknown> {
  const seen = new Set<string>();
  const steps = (def.steps as Array<{ tasks: Array<Record<string, unknown>> }>).map((step) => ({
    ...step,
    tasks: step.tasks.map((task) => {
      if (typeof task.id !== 'string') return task;
      if (seen.has(task.id)) {
        const { id: _dropped, ...rest } = task;
        return rest;
      }
      seen.add(task.id);
      return task;
    }),
  }));
  return { ...def, steps };
}

function definitionOf(v: boolean, options: DefinitionArbitraryOptions): fc.Arbitrary<unknown> {
  const { limits } = options;
  const names = ['sleep', 'fail', 'echo', ...(options.testTasks ?? [])];
  const def = fc.record(
    {
      name: pick(v, fc.constantFrom('wf', 'résumé ✓', '🚀 launch', 'a/b\\c', '<script>'), fc.constantFrom('', 'x\u0007', 'n'.repeat(limits.maxNameLength + 1), 42, ' ', '\u200b', 'x\ud800')),
      steps: fc.array(stepArbitrary(v, names, limits), { minLength: v ? 1 : 0, maxLength: v ? 3 : limits.maxSteps + 1 }),
      priority: pick(v, fc.constantFrom('low', 'normal', 'high'), fc.constantFrom('urgent', 0)),
      idempotency_key: pick(v, fc.constant(FRESH_IDEMPOTENCY_KEY), fc.constantFrom('', 'k\u0000')),
    },
    { requiredKeys: ['name', 'steps'] },
  );
  if (v) return def.map(dropDuplicateIds);
  const strayDef = withStrayKey(v, def, [['nmae', 'x'], ['stpes', []], ['constructor', {}]]);
  return fc.oneof({ weight: 12, arbitrary: strayDef }, { weight: 1, arbitrary: fc.constantFrom(null, [], 'wf', 7, { name: 'x' }, { steps: [] }) });
}

/**
 * Random workflow definitions, about half built only from valid choices and
 * half with invalid fields mixed in (bogus execution types, bad engine params,
 * unknown task names, duplicate ids, sizes over the bounds, wrong shapes).
 * Which is which is not recorded: the oracle (definitionOracle.ts) decides.
 * Tasks draw from sleep (ms-scale), fail (with or without `times`), echo and
 * the given test tasks; every retry waits at most 10 ms.
 */
export function definitionArbitrary(options: DefinitionArbitraryOptions): fc.Arbitrary<unknown> {
  return fc.oneof(definitionOf(true, options), definitionOf(false, options));
}

/** Replaces the {@link FRESH_IDEMPOTENCY_KEY} placeholder with `key` (a deep copy; other values untouched). */
export function withFreshIdempotencyKey(def: unknown, key: string): unknown {
  if (typeof def !== 'object' || def === null || Array.isArray(def)) return def;
  const record = def as Record<string, unknown>;
  return record.idempotency_key === FRESH_IDEMPOTENCY_KEY ? { ...record, idempotency_key: key } : def;
}
