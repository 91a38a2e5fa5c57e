import { describe, expect, it } from 'vitest';
import { hasLoneSurrogate, LONE_SURROGATE, nameProblem } from '../../../shared/textProblem.ts';

describe('nameProblem', () => {
  it('accepts a name of up to the limit, counting code points (an emoji is one)', () => {
    expect(nameProblem('sample_workflow', 100)).toBeUndefined();
    expect(nameProblem('😀😀😀', 3)).toBeUndefined();
    expect(nameProblem('😀😀😀😀', 3)).toBe('is longer than 3 characters');
  });

  it('gives one reason per bad name, the first that applies', () => {
    expect(nameProblem('', 10)).toBe('must not be empty');
    expect(nameProblem('   ', 10)).toBe('must not be blank');
    expect(nameProblem('\u200b\u200d', 10)).toMatch(/^must contain a visible character/);
    expect(nameProblem('a\nb', 10)).toBe('must not contain control characters');
    expect(nameProblem('a\uD800', 1)).toBe(LONE_SURROGATE);
  });
});

describe('hasLoneSurrogate', () => {
  it('finds half a pair at either end, never a whole pair', () => {
    expect(['\uD83D\uDE00', 'x\uD83Dy', '\uDE00x', 'plain'].map(hasLoneSurrogate)).toEqual([false, true, true, false]);
  });
});
