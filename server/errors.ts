import { ERROR_CODES, type ErrorCode, type ErrorIssue } from '../shared/errors.ts';
import { closestKey } from '../shared/closestKey.ts';

// Every error class the server defines, in one place. They share one base,
// FlowstateError, whose `code` comes from one closed table: the wire's codes
// (shared/errors.ts, what the API answers with) and the few that never reach
// a caller. Only server/api turns them into HTTP and tRPC errors
// (errorMapping.ts); one with a code the wire does not know is answered as an
// unexpected INTERNAL error there.

/**
 * Codes of errors that stay inside the server: bad configuration at start-up,
 * how a task attempt failed, and a stored workflow that cannot be resumed.
 */
export const SERVER_ONLY_ERROR_CODES = ['INVALID_CONFIG', 'TASK_TIMEOUT', 'NON_RETRYABLE', 'UNRESUMABLE'] as const;

/** The closed table of codes a {@link FlowstateError} carries. */
export type FlowstateErrorCode = ErrorCode | (typeof SERVER_ONLY_ERROR_CODES)[number];

const WIRE_CODES: ReadonlySet<string> = new Set(ERROR_CODES);

/** True when `code` is one the API answers with (shared/errors.ts), not a server-only one. */
export function isWireCode(code: FlowstateErrorCode): code is ErrorCode {
  return WIRE_CODES.has(code);
}

/**
 * The base of every error the server throws on purpose. `code` comes from a
 * closed table ({@link FlowstateErrorCode}); the API layer converts it (and
 * only it) to HTTP / tRPC errors. `detail` is the short text a FastAPI client
 * reads (`"Workflow not found"`); without it, `message` is sent.
 */
export class FlowstateError extends Error {
  readonly code: FlowstateErrorCode;
  readonly issues?: ErrorIssue[];
  readonly detail?: string;

  constructor(code: FlowstateErrorCode, message: string, options?: { cause?: unknown; issues?: ErrorIssue[]; detail?: string }) {
    super(message, { cause: options?.cause });
    this.name = 'FlowstateError';
    this.code = code;
    this.issues = options?.issues;
    this.detail = options?.detail;
  }
}

/** A bad environment value or setting: `message` names the variable, so start-up can print it in one line. */
export class ConfigError extends FlowstateError {
  declare readonly code: 'INVALID_CONFIG';
  /** The variables at fault (`PORT`, `REDIS_URL`, ...). */
  readonly variables: string[];
  constructor(message: string, variables: string[]) {
    super('INVALID_CONFIG', message);
    this.name = 'ConfigError';
    this.variables = variables;
  }
}

/** Redis was configured and did not answer at start (and falling back to memory was not allowed). */
export class RedisUnreachableError extends FlowstateError {
  declare readonly code: 'UNAVAILABLE';
  constructor(message: string) {
    super('UNAVAILABLE', message);
    this.name = 'RedisUnreachableError';
  }
}

/**
 * Throw this from a task to fail for good: no retries are spent on it (like
 * Temporal's non-retryable ApplicationFailure). The engine recognises it by
 * its `nonRetryable` flag, so one thrown by another copy of this module counts too.
 */
export class NonRetryableError extends FlowstateError {
  declare readonly code: 'NON_RETRYABLE';
  readonly nonRetryable = true;
  constructor(message: string, options?: { cause?: unknown }) {
    super('NON_RETRYABLE', message, options);
    this.name = 'NonRetryableError';
  }
}

/** An attempt passed its `timeout`. Retryable, like any failure. */
export class TaskTimeoutError extends FlowstateError {
  declare readonly code: 'TASK_TIMEOUT';
  constructor(seconds: number) {
    super('TASK_TIMEOUT', `timed out after ${seconds} s`);
    this.name = 'TaskTimeoutError';
  }
}

/**
 * A stored workflow cannot be resumed: its snapshot is of a machine format
 * this engine does not restore, and its status does not say where it stands
 * either. The workflow fails with this as its error; the process goes on.
 */
export class UnresumableWorkflowError extends FlowstateError {
  declare readonly code: 'UNRESUMABLE';
  constructor(message: string, options?: { cause?: unknown }) {
    super('UNRESUMABLE', message, options);
    this.name = 'UnresumableWorkflowError';
  }
}

/** A zod issue as far as the wire needs it (zod 4's finalized issue, structurally). */
export interface ZodIssueLike {
  code?: string;
  path: ReadonlyArray<PropertyKey>;
  message: string;
  keys?: string[];
  expected?: string;
  origin?: string;
  inclusive?: boolean;
  format?: string;
  input?: unknown;
}

/** Where the validated value came from: FastAPI's first `loc` element. */
export type IssueSource = 'body' | 'query' | 'path';

/** How {@link issuesFromZod} words an unknown key: the keys declared where it was found. */
export type DeclaredKeys = (objectPath: ReadonlyArray<PropertyKey>) => string[] | undefined;

/**
 * Turns zod issues into the wire's `{ path, message, loc, type }` list. An
 * unknown-keys issue becomes one issue per key, at the key's own path, with
 * the declared key it was probably meant to be
 * (`steps.0.tasks.1.params.retry_cout: unknown param; did you mean "retry_count"?`).
 */
export function issuesFromZod(
  issues: ReadonlyArray<ZodIssueLike>,
  prefix: PropertyKey[] = [],
  options: { source?: IssueSource; declaredKeys?: DeclaredKeys } = {},
): ErrorIssue[] {
  const source = options.source ?? 'body';
  const out: ErrorIssue[] = [];
  const push = (path: ReadonlyArray<PropertyKey>, message: string, type: string) => {
    const segments = [...prefix, ...path].map((p) => (typeof p === 'number' ? p : String(p)));
    out.push({ path: segments.join('.') || '(root)', message, loc: [source, ...segments], type });
  };
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys' && issue.keys) {
      const declared = options.declaredKeys?.(issue.path);
      for (const key of issue.keys) push([...issue.path, key], unknownKeyMessage(key, issue.path, declared), 'extra_forbidden');
    } else {
      push(issue.path, issue.message, pydanticType(issue));
    }
  }
  return out;
}

function unknownKeyMessage(key: string, objectPath: ReadonlyArray<PropertyKey>, declared: string[] | undefined): string {
  const noun = objectPath.includes('params') ? 'param' : 'field';
  if (!declared) return `unknown ${noun}`;
  const near = closestKey(key, declared);
  if (near) return `unknown ${noun}; did you mean "${near}"?`;
  return declared.length === 0 ? `unknown ${noun}; this takes none` : `unknown ${noun}; expected one of: ${declared.join(', ')}`;
}

/** The pydantic error type FastAPI would report for a zod issue (clients of the original switch on these). */
function pydanticType(issue: ZodIssueLike): string {
  switch (issue.code) {
    case 'invalid_type':
      if ('input' in issue && issue.input === undefined) return 'missing';
      return TYPE_BY_EXPECTED[issue.expected ?? ''] ?? 'type_error';
    case 'too_small':
      return issue.origin === 'string' ? 'string_too_short' : issue.origin === 'array' ? 'too_short' : issue.inclusive ? 'greater_than_equal' : 'greater_than';
    case 'too_big':
      return issue.origin === 'string' ? 'string_too_long' : issue.origin === 'array' ? 'too_long' : issue.inclusive ? 'less_than_equal' : 'less_than';
    case 'invalid_value':
      return 'literal_error';
    case 'invalid_format':
      return issue.format === 'url' ? 'url_parsing' : 'string_pattern_mismatch';
    case 'invalid_union':
      return 'union_tag_invalid';
    case 'not_multiple_of':
      return 'multiple_of';
    default:
      return 'value_error';
  }
}

const TYPE_BY_EXPECTED: Record<string, string> = {
  string: 'string_type',
  number: 'float_type',
  int: 'int_type',
  boolean: 'bool_type',
  object: 'dict_type',
  array: 'list_type',
};

/**
 * Most issues one error carries. Past it the answer would grow with the
 * input: 100,000 bad array items in a 200 KB body made a 16 MB answer.
 */
export const MAX_ISSUES = 100;
/** Issues spelled out in the message; the rest are in `issues`. */
const ISSUES_IN_MESSAGE = 10;

/**
 * A BAD_REQUEST whose message lists the issues, so a curl user reads the
 * field at once. Keeps the first {@link MAX_ISSUES}, and says how many more there were
 * (`total`, when the caller converted only the first ones).
 */
export function badRequest(issues: ErrorIssue[], cause?: unknown, total = issues.length): FlowstateError {
  const kept = issues.slice(0, MAX_ISSUES);
  const shown = issues.slice(0, ISSUES_IN_MESSAGE).map((i) => `${i.path}: ${i.message}`);
  if (total > shown.length) shown.push(`and ${total - shown.length} more problem(s)`);
  return new FlowstateError('BAD_REQUEST', shown.join('; ') || 'invalid input', { issues: kept, cause });
}
