import type { ErrorCode, ErrorIssue } from '../shared/errors.ts';

/**
 * The one error type the server throws on purpose. `code` comes from a closed
 * table; the API layer converts it (and only it) to HTTP / tRPC errors.
 */
export class FlowstateError extends Error {
  readonly code: ErrorCode;
  readonly issues?: ErrorIssue[];

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; issues?: ErrorIssue[] }) {
    super(message, { cause: options?.cause });
    this.name = 'FlowstateError';
    this.code = code;
    this.issues = options?.issues;
  }
}

/** Turns zod issues into the wire's `{ path, message }` list. */
export function issuesFromZod(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>, prefix: PropertyKey[] = []): ErrorIssue[] {
  return issues.map((i) => ({ path: [...prefix, ...i.path].map(String).join('.') || '(root)', message: i.message }));
}

/** A BAD_REQUEST whose message lists every issue, so a curl user reads the field at once. */
export function badRequest(issues: ErrorIssue[], cause?: unknown): FlowstateError {
  const message = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
  return new FlowstateError('BAD_REQUEST', message || 'invalid input', { issues, cause });
}
