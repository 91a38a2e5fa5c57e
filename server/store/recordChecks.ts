import { FlowstateError } from '../errors.ts';
import type { SavedRecord, WorkflowRecord } from './WorkflowStore.ts';

/**
 * Checks the invariants both stores rely on before inserting a record. These
 * are programming errors of the caller (the engine), not user input, hence INTERNAL.
 */
export function assertNewRecord(record: WorkflowRecord): void {
  if (record.version !== 1) {
    throw new FlowstateError('INTERNAL', `a new record must have version 1, got ${record.version}`);
  }
  assertConsistent(record);
}

/** The id and the status document must agree, and the version must be a positive integer. */
export function assertConsistent(record: SavedRecord): void {
  if (typeof record.id !== 'string' || record.id.length === 0 || record.id.length > 128) {
    throw new FlowstateError('INTERNAL', 'a record needs an id of 1 to 128 characters');
  }
  if (record.status.id !== record.id) {
    throw new FlowstateError('INTERNAL', `record ${record.id} carries the status of ${record.status.id}`);
  }
  if (!Number.isSafeInteger(record.version) || record.version < 1) {
    throw new FlowstateError('INTERNAL', `record ${record.id} has version ${record.version}`);
  }
}

/** The error for a create whose id is taken (ids are server-made, so this is a bug or a replay). */
export function duplicateId(id: string): FlowstateError {
  return new FlowstateError('CONFLICT', `a workflow with id ${id} exists already`);
}

/** An idempotency key, when given, is a non-empty string of bounded size (it becomes part of a key). */
export function assertIdempotencyKey(key: string | undefined): void {
  if (key === undefined) return;
  if (typeof key !== 'string' || key.length === 0 || key.length > 1024) {
    throw new FlowstateError('BAD_REQUEST', 'an idempotency key must be 1 to 1024 characters');
  }
}
