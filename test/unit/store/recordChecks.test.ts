import { describe, expect, it } from 'vitest';
import { assertConsistent, assertIdempotencyKey, assertNewRecord, duplicateId } from '../../../server/store/recordChecks.ts';
import { makeRecord, nextVersion } from '../../store/fixtures.ts';

/** The code of what `run` throws, or undefined when it does not. */
function codeOf(run: () => void): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
}

describe('record checks', () => {
  it('take a new record only at version 1, whose status is its own', () => {
    const record = makeRecord();
    expect(codeOf(() => assertNewRecord(record))).toBeUndefined();
    expect(codeOf(() => assertNewRecord(nextVersion(record)))).toBe('INTERNAL');
    expect(codeOf(() => assertConsistent({ ...record, status: { ...record.status, id: 'other' } }))).toBe('INTERNAL');
    expect(codeOf(() => assertConsistent({ ...record, id: '' }))).toBe('INTERNAL');
    expect(codeOf(() => assertConsistent({ ...record, version: 0 }))).toBe('INTERNAL');
  });

  it('take an idempotency key of 1 to 1024 characters, or none', () => {
    expect([undefined, 'k', 'k'.repeat(1024)].map((key) => codeOf(() => assertIdempotencyKey(key)))).toEqual([undefined, undefined, undefined]);
    expect(['', 'k'.repeat(1025)].map((key) => codeOf(() => assertIdempotencyKey(key)))).toEqual(['BAD_REQUEST', 'BAD_REQUEST']);
  });

  it('call a taken id a CONFLICT', () => {
    expect(duplicateId('x').code).toBe('CONFLICT');
  });
});
