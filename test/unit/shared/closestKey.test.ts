import { describe, expect, it } from 'vitest';
import { closestKey } from '../../../shared/closestKey.ts';

const PARAMS = ['timeout', 'retry_count', 'retry_delay', 'priority'];

describe('closestKey', () => {
  it('finds the key a typo meant: a dropped, added, changed or swapped letter, case ignored', () => {
    expect(closestKey('retry_cout', PARAMS)).toBe('retry_count');
    expect(closestKey('timeoutt', PARAMS)).toBe('timeout');
    expect(closestKey('prioirty', PARAMS)).toBe('priority');
    expect(closestKey('Retry_Delay', PARAMS)).toBe('retry_delay');
  });

  it('allows one edit on short words and two on longer ones, and suggests nothing further away', () => {
    expect(closestKey('ms', ['id', 'ms2'])).toBe('ms2');
    expect(closestKey('xy', ['id'])).toBeUndefined();
    expect(closestKey('retr_cont', PARAMS)).toBe('retry_count');
    expect(closestKey('colour', PARAMS)).toBeUndefined();
  });

  it('never suggests the key itself, and ignores keys too long to be a typo', () => {
    expect(closestKey('timeout', ['timeout'])).toBeUndefined();
    expect(closestKey('t'.repeat(65), ['t'.repeat(64)])).toBeUndefined();
  });
});
