import { describe, expect, it } from 'vitest';
import { jsonValueProblems } from '../../../shared/jsonValueProblem.ts';
import { LONE_SURROGATE } from '../../../shared/textProblem.ts';

describe('jsonValueProblems', () => {
  it('finds nothing in plain JSON, however nested', () => {
    expect(jsonValueProblems({ a: [1, 'two', { three: null, four: true }], b: Object.create(null) })).toEqual([]);
  });

  it('names where each value JSON cannot carry unchanged is, and why', () => {
    const problems = jsonValueProblems({ n: NaN, list: [1, Infinity], when: new Date(0), big: 10n, s: 'x\uD800', nested: { fn: () => 1 } });
    expect(problems).toEqual(
      expect.arrayContaining([
        { path: ['n'], message: 'NaN is not a finite number; JSON has no such value' },
        { path: ['list', 1], message: 'Infinity is not a finite number; JSON has no such value' },
        { path: ['when'], message: 'a Date object is not JSON' },
        { path: ['big'], message: 'a bigint is not JSON' },
        { path: ['s'], message: LONE_SURROGATE },
        { path: ['nested', 'fn'], message: 'a function is not JSON' },
      ]),
    );
    expect(problems).toHaveLength(6);
  });

  it('reports a bad key at its own path', () => {
    expect(jsonValueProblems({ ok: { ['k\uDC00']: 1 } })).toEqual([{ path: ['ok', 'k\uDC00'], message: `the key ${LONE_SURROGATE}` }]);
  });

  it('stops at 20 problems, and walks a very deep value without overflowing the stack', () => {
    expect(jsonValueProblems(Array.from({ length: 100 }, () => NaN))).toHaveLength(20);
    let deep: unknown = NaN;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(jsonValueProblems(deep)).toHaveLength(1);
  });
});
