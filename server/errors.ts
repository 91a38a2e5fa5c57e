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

/**
 * Most issues one error carries. Past it the answer would grow with the
 * input: 100,000 bad array items in a 200 KB body made a 16 MB answer.
 */
export const MAX_ISSUES = 100;
/** Issues spelled out in the message; the rest are in `issues`. */
const ISSUES_IN_MESSAGE = 10;

/**
 * A BAD_REQUEST whose message lists the issues, so a curl user reads the
 * field at once. Keeps the first {@link MAX_ISSUES}, and says how many more there were.
 */
export function badRequest(issues: ErrorIssue[], cause?: unknown): FlowstateError {
  const kept = issues.slice(0, MAX_ISSUES);
  const shown = issues.slice(0, ISSUES_IN_MESSAGE).map((i) => `${i.path}: ${i.message}`);
  if (issues.length > shown.length) shown.push(`and ${issues.length - shown.length} more problem(s)`);
  return new FlowstateError('BAD_REQUEST', shown.join('; ') || 'invalid input', { issues: kept, cause });
}
