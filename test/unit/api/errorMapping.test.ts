import { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ERROR_CODES } from '../../../shared/errors.ts';
import { ConfigError, FlowstateError, NonRetryableError } from '../../../server/errors.ts';
import { fastApiDetail, hasZodIssues, mapError, toErrorBody, toTRPCError } from '../../../server/api/errorMapping.ts';
import { recordingLogger } from '../../helpers/recordingLogger.ts';

describe('error mapping', () => {
  it('gives every code of the table one HTTP status and one tRPC code', () => {
    const mapped = ERROR_CODES.map((code) => {
      const m = mapError(new FlowstateError(code, 'x'));
      return [m.code, m.httpStatus, m.trpcCode];
    });
    expect(mapped).toEqual([
      ['BAD_REQUEST', 400, 'BAD_REQUEST'],
      ['UNAUTHORIZED', 401, 'UNAUTHORIZED'],
      ['NOT_FOUND', 404, 'NOT_FOUND'],
      ['METHOD_NOT_ALLOWED', 405, 'METHOD_NOT_SUPPORTED'],
      ['CONFLICT', 409, 'CONFLICT'],
      ['PAYLOAD_TOO_LARGE', 413, 'PAYLOAD_TOO_LARGE'],
      ['UNSUPPORTED_MEDIA_TYPE', 415, 'UNSUPPORTED_MEDIA_TYPE'],
      ['UNAVAILABLE', 503, 'SERVICE_UNAVAILABLE'],
      ['INTERNAL', 500, 'INTERNAL_SERVER_ERROR'],
    ]);
  });

  it('answers a BAD_REQUEST that names fields as a 422 validation error, with FastAPI detail', () => {
    const issues = [{ path: 'steps.0.tasks.1.params.timeout', message: 'too big', type: 'less_than_equal' }];
    const m = mapError(new FlowstateError('BAD_REQUEST', 'bad', { issues }));
    expect([m.code, m.httpStatus, m.trpcCode]).toEqual(['BAD_REQUEST', 422, 'UNPROCESSABLE_CONTENT']);
    expect(m.detail).toEqual([{ loc: ['body', 'steps', 0, 'tasks', 1, 'params', 'timeout'], msg: 'too big', type: 'less_than_equal' }]);
    // Without issues (malformed JSON) it stays a 400 whose detail is the message.
    const plain = mapError(new FlowstateError('BAD_REQUEST', 'not JSON'));
    expect([plain.httpStatus, plain.detail]).toEqual([400, 'not JSON']);
  });

  it('sends the short FastAPI detail when the error has one', () => {
    const { status, body } = toErrorBody(new FlowstateError('NOT_FOUND', 'no workflow with id "x"', { detail: 'Workflow not found' }));
    expect(status).toBe(404);
    expect(body).toEqual({ error: { code: 'NOT_FOUND', message: 'no workflow with id "x"' }, detail: 'Workflow not found' });
  });

  it('turns a zod error into BAD_REQUEST with one issue per field', () => {
    const parsed = z.object({ limit: z.number().max(10) }).safeParse({ limit: 11 });
    expect(hasZodIssues(parsed.error)).toBe(true);
    const { status, body } = toErrorBody(parsed.error);
    expect(status).toBe(422);
    expect(body.error.code).toBe('BAD_REQUEST');
    expect(body.error.issues?.map((i) => i.path)).toEqual(['limit']);
  });

  it('reads errors tRPC raises itself by their tRPC code', () => {
    expect(mapError(new TRPCError({ code: 'NOT_FOUND', message: 'no such procedure' }))).toMatchObject({ code: 'NOT_FOUND', httpStatus: 404 });
    expect(mapError(new TRPCError({ code: 'UNPROCESSABLE_CONTENT', message: 'x' }))).toMatchObject({ code: 'BAD_REQUEST' });
    // A code outside the table keeps its own tRPC code.
    expect(mapError(new TRPCError({ code: 'TOO_MANY_REQUESTS', message: 'slow down' }))).toMatchObject({ code: 'BAD_REQUEST', trpcCode: 'TOO_MANY_REQUESTS' });
  });

  it('answers anything unexpected as INTERNAL with a reference, logging the details and sending none of them', () => {
    const logger = recordingLogger();
    const m = mapError(new Error('password=hunter2 in a stack'), logger);
    expect(m.code).toBe('INTERNAL');
    expect(m.httpStatus).toBe(500);
    expect(m.message).not.toContain('hunter2');
    const ref = /ref ([0-9a-f-]{36})/.exec(m.message)?.[1];
    expect(logger.entries).toEqual([expect.objectContaining({ level: 'error', fields: expect.objectContaining({ ref }) })]);
  });

  it('answers a server-only code reaching a caller as unexpected: INTERNAL, its message kept out', () => {
    for (const error of [new ConfigError('invalid configuration: API_KEY=secret', ['API_KEY']), new NonRetryableError('bad credentials for db')]) {
      const logger = recordingLogger();
      const m = mapError(error, logger);
      expect([m.code, m.httpStatus]).toEqual(['INTERNAL', 500]);
      expect(m.message).not.toContain(error.message);
      expect(logger.entries).toHaveLength(1);
    }
  });

  it('wraps into a TRPCError once, keeping the FlowstateError as cause', () => {
    const original = new FlowstateError('CONFLICT', 'taken');
    const wrapped = toTRPCError(original);
    expect(wrapped.code).toBe('CONFLICT');
    expect(wrapped.cause).toBe(original);
    const foreign = new TRPCError({ code: 'FORBIDDEN', message: 'no' });
    expect(toTRPCError(foreign)).toBe(foreign);
    const fromZod = toTRPCError(z.string().safeParse(1).error);
    expect(fromZod.code).toBe('UNPROCESSABLE_CONTENT');
    expect(fromZod.cause).toBeInstanceOf(FlowstateError);
  });

  it('keeps a given loc in FastAPI detail and reads a dotted path otherwise', () => {
    expect(fastApiDetail([{ path: 'limit', message: 'm', loc: ['query', 'limit'], type: 'int_type' }, { path: '(root)', message: 'm' }])).toEqual([
      { loc: ['query', 'limit'], msg: 'm', type: 'int_type' },
      { loc: ['body'], msg: 'm', type: 'value_error' },
    ]);
  });
});
