import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ERROR_CODES } from '../../shared/errors.ts';
import {
  badRequest,
  ConfigError,
  FlowstateError,
  issuesFromZod,
  isWireCode,
  MAX_ISSUES,
  NonRetryableError,
  RedisUnreachableError,
  SERVER_ONLY_ERROR_CODES,
  TaskTimeoutError,
  UnresumableWorkflowError,
} from '../../server/errors.ts';

describe('server errors', () => {
  it('are all FlowstateErrors, each with its own name and a code from the closed table', () => {
    const cause = new Error('root');
    const errors = [
      [new ConfigError('invalid configuration: PORT', ['PORT']), 'ConfigError', 'INVALID_CONFIG'],
      [new RedisUnreachableError('no answer'), 'RedisUnreachableError', 'UNAVAILABLE'],
      [new NonRetryableError('gone', { cause }), 'NonRetryableError', 'NON_RETRYABLE'],
      [new TaskTimeoutError(3), 'TaskTimeoutError', 'TASK_TIMEOUT'],
      [new FlowstateError('NOT_FOUND', 'no workflow', { cause }), 'FlowstateError', 'NOT_FOUND'],
      [new UnresumableWorkflowError('cannot resume', { cause }), 'UnresumableWorkflowError', 'UNRESUMABLE'],
    ] as const;
    for (const [error, name, code] of errors) {
      expect(error).toBeInstanceOf(FlowstateError);
      expect(error).toBeInstanceOf(Error);
      expect([error.name, error.code]).toEqual([name, code]);
      expect([...ERROR_CODES, ...SERVER_ONLY_ERROR_CODES]).toContain(error.code);
    }
    expect(errors[2][0].cause).toBe(cause);
    expect(errors[4][0].cause).toBe(cause);
    expect(errors[5][0].cause).toBe(cause);
  });

  it('keep what each kind carries: the variables at fault, the non-retryable flag, the timeout in the message', () => {
    expect(new ConfigError('x', ['REDIS_URL', 'REDIS_HOST']).variables).toEqual(['REDIS_URL', 'REDIS_HOST']);
    expect(new NonRetryableError('x').nonRetryable).toBe(true);
    expect(new TaskTimeoutError(2.5).message).toBe('timed out after 2.5 s');
  });

  it('tell wire codes from server-only ones', () => {
    for (const code of ERROR_CODES) expect(isWireCode(code)).toBe(true);
    for (const code of SERVER_ONLY_ERROR_CODES) expect(isWireCode(code)).toBe(false);
  });
});

describe('issuesFromZod', () => {
  const Schema = z.strictObject({ name: z.string().min(1), steps: z.array(z.strictObject({ retry_count: z.number().int() })) });

  it('gives each issue a dotted path, a FastAPI loc and a pydantic type', () => {
    const parsed = Schema.safeParse({ name: '', steps: [{ retry_count: 1.5 }] });
    const issues = issuesFromZod(parsed.error!.issues);
    expect(issues).toEqual([
      expect.objectContaining({ path: 'name', loc: ['body', 'name'], type: 'string_too_short' }),
      expect.objectContaining({ path: 'steps.0.retry_count', loc: ['body', 'steps', 0, 'retry_count'], type: 'int_type' }),
    ]);
  });

  it('splits unknown keys into one issue each, naming the declared key meant', () => {
    const parsed = Schema.safeParse({ name: 'x', steps: [{ retry_count: 1, retry_cout: 2, zzz: 3 }] });
    const issues = issuesFromZod(parsed.error!.issues, [], { declaredKeys: () => ['retry_count'] });
    expect(issues.map((i) => [i.path, i.message, i.type])).toEqual([
      ['steps.0.retry_cout', 'unknown field; did you mean "retry_count"?', 'extra_forbidden'],
      ['steps.0.zzz', 'unknown field; expected one of: retry_count', 'extra_forbidden'],
    ]);
  });

  it('places issues under a prefix and a source, and tells a missing field from a wrong one when zod reports the input', () => {
    const Limit = z.object({ limit: z.number() });
    const [missing] = issuesFromZod(Limit.safeParse({}, { reportInput: true }).error!.issues, ['input'], { source: 'query' });
    expect([missing.path, missing.loc, missing.type]).toEqual(['input.limit', ['query', 'input', 'limit'], 'missing']);
    const [wrong] = issuesFromZod(Limit.safeParse({ limit: 'ten' }, { reportInput: true }).error!.issues);
    expect(wrong.type).toBe('float_type');
  });
});

describe('badRequest', () => {
  it('lists the first ten issues in its message and keeps at most MAX_ISSUES', () => {
    const issues = Array.from({ length: MAX_ISSUES + 5 }, (_, i) => ({ path: `steps.${i}`, message: 'bad' }));
    const error = badRequest(issues);
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.issues).toHaveLength(MAX_ISSUES);
    expect(error.message.split('; ')).toHaveLength(11);
    expect(error.message).toMatch(/^steps\.0: bad; .*; and 95 more problem\(s\)$/);
  });

  it('says "invalid input" when it has no issue to name', () => {
    expect(badRequest([]).message).toBe('invalid input');
  });
});
