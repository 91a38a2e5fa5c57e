import { expect } from 'vitest';
import type { ErrorCode } from '../../shared/errors.ts';
import type { WorkflowState } from '../../shared/status.ts';
import type { WorkflowRecord, WorkflowStore } from '../../server/store/WorkflowStore.ts';
import { makeRecord, nextVersion } from './fixtures.ts';

/** What a contract run needs from a backend: a fresh, empty store and a way to throw it away. */
export type MakeStore = (options?: StoreOptions) => Promise<{ store: WorkflowStore; cleanup: () => Promise<void> }>;

/** Opens a store for one test (cleaned up after it). */
export type OpenStore = (options?: StoreOptions) => Promise<WorkflowStore>;

/** The options both stores take, as a contract test sets them. */
export interface StoreOptions {
  retentionSeconds?: number;
  maxEvents?: number;
  listScanBudget?: number;
}

/** Resolves with the `code` of the error `promise` rejects with (fails the test if it resolves). */
export async function rejectionCode(promise: Promise<unknown>): Promise<ErrorCode | undefined> {
  const error = await promise.then(
    () => expect.fail('expected a rejection'),
    (e: unknown) => e,
  );
  return (error as { code?: ErrorCode }).code;
}

/** Waits `ms` of real time (retention tests). */
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Creates `n` records one at a time, so creation order is listing order. */
export async function createAll(store: WorkflowStore, n: number, state: WorkflowState = 'pending'): Promise<WorkflowRecord[]> {
  const records: WorkflowRecord[] = [];
  for (let i = 0; i < n; i++) {
    const record = makeRecord({ state, name: `wf_${i}` });
    await store.create(record);
    records.push(record);
  }
  return records;
}

/** Saves the next version of `record` in `state`, asserting no conflict; returns what was saved. */
export async function move(store: WorkflowStore, record: WorkflowRecord, state: WorkflowState): Promise<WorkflowRecord> {
  const next = nextVersion(record, state);
  expect(await store.saveMany([next])).toEqual({ conflicts: [] });
  return next;
}
