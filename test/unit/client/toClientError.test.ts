import { describe, expect, it } from 'vitest';
import { toClientError } from '../../../client/FlowstateClientError.ts';

describe('toClientError: the SDK reads 422 validation errors as BAD_REQUEST (issue 11)', () => {
  it('a tRPC UNPROCESSABLE_CONTENT error is our BAD_REQUEST, with its issues and HTTP 422', () => {
    const err = Object.assign(new Error('steps.0.tasks.0.params.retry_cout: unknown param'), {
      data: { code: 'UNPROCESSABLE_CONTENT', httpStatus: 422, flowstateCode: 'BAD_REQUEST', issues: [{ path: 'steps.0.tasks.0.params.retry_cout', message: 'unknown param' }] },
    });
    const e = toClientError(err);
    expect([e.code, e.httpStatus]).toEqual(['BAD_REQUEST', 422]);
    expect(e.issues.map((i) => i.path)).toEqual(['steps.0.tasks.0.params.retry_cout']);
    // Without our own code (an older server), tRPC's code alone says the same.
    expect(toClientError(Object.assign(new Error('x'), { data: { code: 'UNPROCESSABLE_CONTENT', httpStatus: 422 } })).code).toBe('BAD_REQUEST');
  });

  it('an answer without a tRPC body is read from its status', () => {
    const byStatus = (status: number) => toClientError(Object.assign(new Error('x'), { meta: { response: { status } } })).code;
    expect([400, 422, 404, 409, 413, 415, 502, 500].map(byStatus)).toEqual(['BAD_REQUEST', 'BAD_REQUEST', 'NOT_FOUND', 'CONFLICT', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE', 'UNAVAILABLE', 'INTERNAL']);
  });
});
