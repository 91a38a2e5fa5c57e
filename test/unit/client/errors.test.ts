import { describe, expect, it } from 'vitest';
import { FlowstateClientError, toClientError, WaitTimeoutError } from '../../../client/errors.ts';

describe('toClientError', () => {
  it('reads a tRPC UNPROCESSABLE_CONTENT error as our BAD_REQUEST, with its issues and HTTP 422 (issue 11)', () => {
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

  it('a socket that never answered is UNREACHABLE, found anywhere in the cause chain', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    expect(toClientError(new Error('outer', { cause: new Error('middle', { cause: refused }) })).code).toBe('UNREACHABLE');
    expect(toClientError(new TypeError('fetch failed')).code).toBe('UNREACHABLE');
  });

  it('converts once: an error already converted passes through, anything else keeps the original as cause', () => {
    const converted = new FlowstateClientError('NOT_FOUND', 'gone');
    expect(toClientError(converted)).toBe(converted);
    const odd = new Error('odd');
    const e = toClientError(odd);
    expect([e.code, e.cause]).toEqual(['INTERNAL', odd]);
    expect(toClientError('a string').message).toBe('a string');
  });
});

describe('WaitTimeoutError', () => {
  it('is a FlowstateClientError with code TIMEOUT that keeps the last status seen', () => {
    const e = new WaitTimeoutError('wf1', 500, undefined);
    expect(e).toBeInstanceOf(FlowstateClientError);
    expect([e.name, e.code, e.workflowId, e.timeoutMs, e.lastStatus]).toEqual(['WaitTimeoutError', 'TIMEOUT', 'wf1', 500, undefined]);
    expect(e.message).toBe('workflow wf1 did not finish within 500 ms (last seen: nothing)');
  });
});
