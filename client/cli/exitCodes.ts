import type { ClientErrorCode } from '../errors.ts';
import type { WorkflowState } from '../../shared/status.ts';

/** The CLI's exit codes; scripts can rely on them. */
export const EXIT = {
  /** The command worked (for `run`: the workflow succeeded). */
  OK: 0,
  /** The workflow failed or was cancelled, or the server refused the call. */
  FAILED: 1,
  /** Bad arguments, an unreadable file, or a definition the server rejected. */
  USAGE: 2,
  /** No answer from the server. */
  UNREACHABLE: 3,
  /** Interrupted (Ctrl-C): the workflow keeps running on the server. */
  INTERRUPTED: 130,
} as const;

/** Exit code for a call that failed with `code`. */
export function exitCodeForError(code: ClientErrorCode): number {
  if (code === 'UNREACHABLE') return EXIT.UNREACHABLE;
  if (code === 'BAD_REQUEST' || code === 'PAYLOAD_TOO_LARGE') return EXIT.USAGE;
  return EXIT.FAILED;
}

/** Exit code of `run` for the workflow's final state. */
export function exitCodeForState(state: WorkflowState): number {
  return state === 'succeeded' ? EXIT.OK : EXIT.FAILED;
}
