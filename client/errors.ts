import type { ErrorCode, ErrorIssue } from '../shared/errors.ts';
import type { WorkflowStatus } from '../shared/status.ts';

// Every error the SDK rejects with, in one place: FlowstateClientError (one
// code from a closed table), its one subclass, and the one function that
// converts whatever a call threw into it.

/**
 * Every code a client call can fail with: the server's closed table, plus
 * three that only the client can see — `UNREACHABLE` (no HTTP answer at all),
 * `TIMEOUT` (`wait` gave up) and `ABORTED` (the caller's signal fired).
 */
export type ClientErrorCode = ErrorCode | 'UNREACHABLE' | 'TIMEOUT' | 'ABORTED';

/**
 * The one error the SDK's methods reject with. Switch on `code`, never on the
 * message; `issues` names each bad field of a rejected definition; `cause`
 * keeps the original (usually a `TRPCClientError`).
 */
export class FlowstateClientError extends Error {
  readonly code: ClientErrorCode;
  /** Field-level problems (`steps.0.tasks.1.name: ...`) of a BAD_REQUEST. */
  readonly issues: ErrorIssue[];
  /** The HTTP status the server answered with, when it answered: 422 for a validation error (a BAD_REQUEST with `issues`), as FastAPI answers it. */
  readonly httpStatus: number | undefined;

  constructor(code: ClientErrorCode, message: string, options: { cause?: unknown; issues?: ErrorIssue[]; httpStatus?: number } = {}) {
    super(message, { cause: options.cause });
    this.name = 'FlowstateClientError';
    this.code = code;
    this.issues = options.issues ?? [];
    this.httpStatus = options.httpStatus;
  }
}

/**
 * `wait` ran out of time before the workflow finished. `code` is `TIMEOUT`;
 * `lastStatus` is the latest status seen (the workflow itself goes on).
 */
export class WaitTimeoutError extends FlowstateClientError {
  declare readonly code: 'TIMEOUT';
  readonly workflowId: string;
  readonly timeoutMs: number;
  readonly lastStatus: WorkflowStatus | undefined;

  constructor(workflowId: string, timeoutMs: number, lastStatus: WorkflowStatus | undefined) {
    super('TIMEOUT', `workflow ${workflowId} did not finish within ${timeoutMs} ms (last seen: ${lastStatus?.status ?? 'nothing'})`);
    this.name = 'WaitTimeoutError';
    this.workflowId = workflowId;
    this.timeoutMs = timeoutMs;
    this.lastStatus = lastStatus;
  }
}

/** tRPC's error codes, folded onto the server's table. */
const FROM_TRPC_CODE: Record<string, ErrorCode> = {
  BAD_REQUEST: 'BAD_REQUEST',
  PARSE_ERROR: 'BAD_REQUEST',
  UNPROCESSABLE_CONTENT: 'BAD_REQUEST',
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'UNAUTHORIZED',
  NOT_FOUND: 'NOT_FOUND',
  METHOD_NOT_SUPPORTED: 'METHOD_NOT_ALLOWED',
  CONFLICT: 'CONFLICT',
  PRECONDITION_FAILED: 'CONFLICT',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  SERVICE_UNAVAILABLE: 'UNAVAILABLE',
  BAD_GATEWAY: 'UNAVAILABLE',
  GATEWAY_TIMEOUT: 'UNAVAILABLE',
  TIMEOUT: 'UNAVAILABLE',
  TOO_MANY_REQUESTS: 'UNAVAILABLE',
  CLIENT_CLOSED_REQUEST: 'UNAVAILABLE',
};

/** HTTP statuses without a tRPC error body (a proxy's answer, say), folded onto the table; 422 is a validation error, as FastAPI's. */
const FROM_STATUS: Record<number, ErrorCode> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'UNAUTHORIZED',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'BAD_REQUEST',
};

/** Socket-level failures: the request never got an HTTP answer. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** True when anything in the cause chain says the socket failed (or fetch itself did). */
function isNetworkFailure(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; isRecord(e) && depth < 8; e = e.cause, depth++) {
    if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return true;
    // undici reports every connection failure as `TypeError: fetch failed`.
    if (e instanceof TypeError && e.message === 'fetch failed') return true;
  }
  return false;
}

function readIssues(data: Record<string, unknown>): ErrorIssue[] {
  const raw = data.issues;
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((i) =>
    isRecord(i) && typeof i.message === 'string'
      ? [{ path: Array.isArray(i.path) ? i.path.join('.') || '(root)' : String(i.path ?? '(root)'), message: i.message }]
      : [],
  );
}

/**
 * Converts whatever a tRPC call threw into a {@link FlowstateClientError},
 * once, keeping the original as `cause`. Already-converted errors pass through.
 */
export function toClientError(err: unknown): FlowstateClientError {
  if (err instanceof FlowstateClientError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const data = isRecord(err) && isRecord(err.data) ? err.data : undefined;
  if (data && typeof data.code === 'string') {
    const httpStatus = typeof data.httpStatus === 'number' ? data.httpStatus : undefined;
    // The server may state its own code (from the closed table) next to tRPC's.
    const own = typeof data.flowstateCode === 'string' ? (data.flowstateCode as ErrorCode) : undefined;
    return new FlowstateClientError(own ?? FROM_TRPC_CODE[data.code] ?? 'INTERNAL', message, { cause: err, issues: readIssues(data), httpStatus });
  }
  if (isNetworkFailure(err)) return new FlowstateClientError('UNREACHABLE', message, { cause: err });
  const status = isRecord(err) && isRecord(err.meta) && isRecord(err.meta.response) ? err.meta.response.status : undefined;
  if (typeof status === 'number') {
    const code: ErrorCode = FROM_STATUS[status] ?? (status >= 502 && status <= 504 ? 'UNAVAILABLE' : 'INTERNAL');
    return new FlowstateClientError(code, message, { cause: err, httpStatus: status });
  }
  return new FlowstateClientError('INTERNAL', message, { cause: err });
}
