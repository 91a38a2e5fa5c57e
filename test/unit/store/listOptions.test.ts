import { describe, expect, it } from 'vitest';
import { encodeCursor, parseListOptions, STORE_MAX_LIST_LIMIT } from '../../../server/store/listOptions.ts';
import { FlowstateError } from '../../../server/errors.ts';

/** The error `parseListOptions` throws for `options`. */
function rejection(options: Parameters<typeof parseListOptions>[0]): FlowstateError {
  try {
    parseListOptions(options);
  } catch (error) {
    if (error instanceof FlowstateError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('parseListOptions', () => {
  it('decodes a cursor it handed out into the bound of the next page', () => {
    expect(parseListOptions({ limit: 10, cursor: encodeCursor(1234) })).toEqual({ limit: 10, before: 1234, status: undefined, nameKey: undefined });
    expect(parseListOptions({ limit: 1, status: 'failed' })).toMatchObject({ before: undefined, status: 'failed' });
  });

  it('folds the name filter for comparison, and reads an empty one as no filter', () => {
    expect(parseListOptions({ limit: 5, name: 'ＥＴＬ Nightly' }).nameKey).toBe('etl nightly');
    expect(parseListOptions({ limit: 5, name: '' }).nameKey).toBeUndefined();
  });

  it('refuses, as BAD_REQUEST naming the field, a cursor it could not have given, a bad limit or status', () => {
    for (const cursor of ['0', '-1', '01', '1.5', 'abc', '99999999999999999']) {
      expect(rejection({ limit: 1, cursor }), cursor).toMatchObject({ code: 'BAD_REQUEST', issues: [expect.objectContaining({ path: 'cursor' })] });
    }
    expect(rejection({ limit: 0 }).issues?.[0].path).toBe('limit');
    expect(rejection({ limit: STORE_MAX_LIST_LIMIT + 1 }).issues?.[0].path).toBe('limit');
    expect(rejection({ limit: 1, status: 'retrying' as 'running' }).issues?.[0].path).toBe('status');
  });
});
