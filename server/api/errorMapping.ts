import { randomUUID } from 'node:crypto';
import { TRPCError, type TRPC_ERROR_CODE_KEY } from '@trpc/server';
import type { ErrorCode, ErrorIssue, FastApiErrorItem } from '../../shared/errors.ts';
import type { ErrorBody } from '../../shared/api.ts';
import { badRequest, FlowstateError, issuesFromZod, isWireCode } from '../errors.ts';
import type { Logger } from '../logger.ts';

/** An error as the wire sees it: a code from the closed table, its HTTP status and tRPC code. */
export interface MappedError {
  code: ErrorCode;
  httpStatus: number;
  trpcCode: TRPC_ERROR_CODE_KEY;
  message: string;
  issues?: ErrorIssue[];
  /** What FastAPI would put in `detail`: the list of field problems of a validation error, a string otherwise. */
  detail: string | FastApiErrorItem[];
}

/** The one table: Flowstate code → HTTP status and tRPC code. */
const TABLE: Record<ErrorCode, { httpStatus: number; trpcCode: TRPC_ERROR_CODE_KEY }> = {
  BAD_REQUEST: { httpStatus: 400, trpcCode: 'BAD_REQUEST' },
  UNAUTHORIZED: { httpStatus: 401, trpcCode: 'UNAUTHORIZED' },
  NOT_FOUND: { httpStatus: 404, trpcCode: 'NOT_FOUND' },
  METHOD_NOT_ALLOWED: { httpStatus: 405, trpcCode: 'METHOD_NOT_SUPPORTED' },
  CONFLICT: { httpStatus: 409, trpcCode: 'CONFLICT' },
  PAYLOAD_TOO_LARGE: { httpStatus: 413, trpcCode: 'PAYLOAD_TOO_LARGE' },
  UNSUPPORTED_MEDIA_TYPE: { httpStatus: 415, trpcCode: 'UNSUPPORTED_MEDIA_TYPE' },
  UNAVAILABLE: { httpStatus: 503, trpcCode: 'SERVICE_UNAVAILABLE' },
  INTERNAL: { httpStatus: 500, trpcCode: 'INTERNAL_SERVER_ERROR' },
};

/** A BAD_REQUEST that names fields is a validation error: 422, as FastAPI answers it. */
const VALIDATION = { httpStatus: 422, trpcCode: 'UNPROCESSABLE_CONTENT' } as const;

/** The reverse direction, for errors tRPC raises itself (bad input, unknown procedure, ...). */
const FROM_TRPC: Partial<Record<TRPC_ERROR_CODE_KEY, ErrorCode>> = {
  ...Object.fromEntries(Object.entries(TABLE).map(([code, { trpcCode }]) => [trpcCode, code as ErrorCode])),
  [VALIDATION.trpcCode]: 'BAD_REQUEST',
};

/**
 * Maps anything thrown to its wire form. FlowstateError keeps its code and
 * issues (when the code is the wire's); a zod error becomes BAD_REQUEST with issues; a TRPCError keeps its
 * code; anything else is INTERNAL with a generic message (the details go to
 * the log, never to the client).
 */
export function mapError(err: unknown, logger?: Logger): MappedError {
  const cause = err instanceof TRPCError && err.cause ? err.cause : err;
  // A server-only code (a ConfigError, a task's failure) reaching a caller is a bug: answered below as unexpected.
  if (cause instanceof FlowstateError && isWireCode(cause.code)) return withTable(cause.code, cause.message, cause.issues, cause.detail);
  if (hasZodIssues(cause)) {
    const bad = badRequest(issuesFromZod(cause.issues));
    return withTable('BAD_REQUEST', bad.message, bad.issues);
  }
  if (err instanceof TRPCError) {
    const code = FROM_TRPC[err.code];
    // A TRPCError code outside the table (e.g. TOO_MANY_REQUESTS) keeps its own code and status.
    if (code && code !== 'INTERNAL') return withTable(code, err.message);
    if (!code) return { code: 'BAD_REQUEST', httpStatus: 400, trpcCode: err.code, message: err.message, detail: err.message };
  }
  // Unexpected: log it with a reference the client can quote; the client learns nothing else.
  const ref = randomUUID();
  logger?.error('unexpected error', { ref, error: cause instanceof Error ? cause : String(cause), stack: cause instanceof Error ? cause.stack : undefined });
  return withTable('INTERNAL', `internal error (ref ${ref})`);
}

/**
 * The REST error body and status for anything thrown: our `error` object,
 * and FastAPI's `detail` next to it, so clients of the original engine read
 * what they always read.
 */
export function toErrorBody(err: unknown, logger?: Logger): { status: number; body: ErrorBody } {
  const m = mapError(err, logger);
  const body: ErrorBody = { error: { code: m.code, message: m.message }, detail: m.detail };
  if (m.issues?.length) body.error.issues = wireIssues(m.issues);
  return { status: m.httpStatus, body };
}

/** Issues as `error.issues` carries them: dotted path and message (`loc` and `type` go to `detail`). */
export function wireIssues(issues: ErrorIssue[]): { path: string; message: string }[] {
  return issues.map(({ path, message }) => ({ path, message }));
}

/** FastAPI's validation `detail`: one `{ loc, msg, type }` per issue, `loc` starting with where the field was. */
export function fastApiDetail(issues: ErrorIssue[]): FastApiErrorItem[] {
  return issues.map((i) => ({ loc: i.loc ?? ['body', ...pathSegments(i.path)], msg: i.message, type: i.type ?? 'value_error' }));
}

function pathSegments(path: string): (string | number)[] {
  if (path === '(root)') return [];
  return path.split('.').map((p) => (/^(0|[1-9]\d*)$/.test(p) ? Number(p) : p));
}

/** A TRPCError carrying the mapped code; the original stays as `cause`. */
export function toTRPCError(err: unknown, logger?: Logger): TRPCError {
  if (err instanceof TRPCError && !(err.cause instanceof FlowstateError)) return err;
  const m = mapError(err, logger);
  const cause = err instanceof FlowstateError ? err : new FlowstateError(m.code, m.message, { issues: m.issues, cause: err });
  return new TRPCError({ code: m.trpcCode, message: m.message, cause });
}

function withTable(code: ErrorCode, message: string, issues?: ErrorIssue[], detail?: string): MappedError {
  if (code === 'BAD_REQUEST' && issues?.length) return { code, ...VALIDATION, message, issues, detail: fastApiDetail(issues) };
  return { code, ...TABLE[code], message, issues, detail: detail ?? message };
}

/** True for a zod error (duck-typed: tRPC and the engine may hold different zod copies). */
export function hasZodIssues(e: unknown): e is { issues: Array<{ path: PropertyKey[]; message: string }> } {
  return (
    typeof e === 'object' &&
    e !== null &&
    (e as { name?: unknown }).name === 'ZodError' &&
    Array.isArray((e as { issues?: unknown }).issues)
  );
}
