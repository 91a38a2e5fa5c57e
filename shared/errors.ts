/**
 * The closed table of error codes. Clients switch on these, never on messages.
 * Each maps to one HTTP status (server/api/errorMapping.ts) and one tRPC code;
 * a BAD_REQUEST that names fields (`issues`) is a validation error, answered
 * 422 as FastAPI does, and 400 otherwise (malformed JSON, an empty body).
 */
export const ERROR_CODES = [
  'BAD_REQUEST',
  'UNAUTHORIZED',
  'NOT_FOUND',
  'METHOD_NOT_ALLOWED',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'UNAVAILABLE',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** One field-level problem: `path` is dotted (`steps.0.tasks.1.params.timeout`). */
export interface ErrorIssue {
  path: string;
  message: string;
  /**
   * Where the field is, as FastAPI's `loc` says it: `["body", "steps", 0, ...]`,
   * `["path", "id"]` or `["query", "limit"]`. Absent means the body, at `path`.
   */
  loc?: (string | number)[];
  /** A pydantic-style error type (`missing`, `extra_forbidden`, `value_error`, ...); absent means `value_error`. */
  type?: string;
}

/** One entry of FastAPI's validation `detail` list. */
export interface FastApiErrorItem {
  loc: (string | number)[];
  msg: string;
  type: string;
}
