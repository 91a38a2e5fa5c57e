import type { WorkflowStatus } from '../../../shared/status.ts';
import { describeFormat, isStamped } from './machineFormat.ts';
import { snapshotFromStatus } from './snapshotFromStatus.ts';
import { UnresumableWorkflowError } from '../../errors.ts';

/**
 * Restores a stored workflow's actor with `create`: from the stored snapshot
 * when it carries `stamp` (the machine's: see machineFormat); otherwise, or when XState
 * cannot restore it, from a snapshot rebuilt from the status document (an
 * older engine's machine, other widths). Throws UnresumableWorkflowError, naming the
 * stored format and why, when neither works.
 */
export function restoreFromStore<T>(stored: unknown, status: WorkflowStatus, stamp: string, create: (snapshot: Record<string, unknown>) => T): T {
  let storedFailure = '';
  if (isStamped(stored, stamp)) {
    const { machine: _stamp, ...snapshot } = stored;
    try {
      return create(snapshot);
    } catch (error) {
      storedFailure = `XState could not restore it (${messageOf(error)}), `;
    }
  }
  const intro = `cannot resume: its stored machine snapshot is ${describeFormat(stored)}, ${storedFailure ? storedFailure : `not this engine's "${stamp}", `}`;
  let rebuilt: Record<string, unknown>;
  try {
    rebuilt = { ...snapshotFromStatus(status) };
  } catch (error) {
    throw new UnresumableWorkflowError(`${intro}and its status does not say where to resume (${messageOf(error)})`, { cause: error });
  }
  try {
    return create(rebuilt);
  } catch (error) {
    throw new UnresumableWorkflowError(`${intro}and the state its status describes cannot be restored (${messageOf(error)})`, { cause: error });
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
