import { z } from 'zod';
import { NameFilterSchema } from '../../shared/api.ts';
import { WorkflowStateSchema, type WorkflowState } from '../../shared/status.ts';
import { FlowstateError, issuesFromZod } from '../errors.ts';
import { nameSearchKey } from './nameSearchKey.ts';
import type { StoreListOptions } from './WorkflowStore.ts';

/**
 * Hard ceiling on one page, whatever the server's configured `maxListLimit`:
 * the store never builds an unbounded reply even when a caller skipped the edge check.
 */
export const STORE_MAX_LIST_LIMIT = 10_000;

// Cursors are the sequence number of the last item on the page, in decimal; a
// positive integer that a double holds exactly (Redis scores are doubles).
const CURSOR_PATTERN = /^[1-9][0-9]{0,15}$/;

const ListOptionsSchema = z.object({
  limit: z.number().int().min(1).max(STORE_MAX_LIST_LIMIT),
  cursor: z
    .string()
    .max(32)
    .refine((c) => CURSOR_PATTERN.test(c) && Number(c) <= Number.MAX_SAFE_INTEGER, 'is not a cursor this server gave')
    .optional(),
  status: WorkflowStateSchema.optional(),
  name: NameFilterSchema.optional(),
});

/** List options after validation: the cursor decoded to the exclusive upper bound of the next page. */
export interface ParsedListOptions {
  limit: number;
  /** Items with a sequence number below this come next; undefined = from the newest. */
  before?: number;
  status?: WorkflowState;
  /** The name filter as {@link nameSearchKey} folds it; undefined = every name (an empty filter too). */
  nameKey?: string;
}

/** Validates list options as both stores read them; anything malformed is a BAD_REQUEST. */
export function parseListOptions(options: StoreListOptions): ParsedListOptions {
  const parsed = ListOptionsSchema.safeParse(options);
  if (!parsed.success) {
    const issues = issuesFromZod(parsed.error.issues);
    throw new FlowstateError('BAD_REQUEST', issues.map((i) => `${i.path}: ${i.message}`).join('; '), { issues });
  }
  const { limit, cursor, status, name } = parsed.data;
  const nameKey = name ? nameSearchKey(name) : undefined;
  return { limit, before: cursor === undefined ? undefined : Number(cursor), status, nameKey: nameKey || undefined };
}

/** The opaque cursor handed out for a page that ended at sequence number `seq`. */
export function encodeCursor(seq: number): string {
  return String(seq);
}
