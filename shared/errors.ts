/**
 * The closed table of error codes. Clients switch on these, never on messages.
 * Each maps to one HTTP status (server/api/errorMapping.ts) and one tRPC code.
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
}
