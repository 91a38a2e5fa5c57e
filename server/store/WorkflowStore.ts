import type { WorkflowDefinition } from '../../shared/definition.ts';
import type { WorkflowPage, WorkflowState, WorkflowStatus } from '../../shared/status.ts';
import type { EventPage, WorkflowEvent } from '../../shared/events.ts';

/** Everything persisted for one workflow. */
export interface WorkflowRecord {
  id: string;
  /** The public status document (what get / list return). */
  status: WorkflowStatus;
  /** The normalised definition (task ids assigned). Written once, at create. */
  definition: WorkflowDefinition;
  /** XState persisted snapshot with `context` removed (it is rebuilt from `status`); null until started, and once a run here ended it (its status names its final state). */
  snapshot: unknown | null;
  /** 1 at create, +1 on every save. A save succeeds only over version - 1. */
  version: number;
  /** Id of the newest event of the workflow's history (0: none); `get` always fills it in. */
  lastEventId?: number;
  /** A cancel was asked for while no process here could act on it: whoever runs it next cancels it. */
  cancelRequested?: boolean;
}

/**
 * `handedOver`: the writer never changes this record's documents (status,
 * definition, snapshot) or events again, so a store may keep them as they are
 * instead of a copy (the memory store does); what it hands out is still a copy.
 */
export interface HandedOver {
  handedOver?: true;
}

/** A record with the events its write appends to the history (ids increasing; ids already stored are skipped). */
export interface NewRecord extends WorkflowRecord, HandedOver {
  events?: WorkflowEvent[];
}

/** What a save writes: everything but the definition, which is written once, at create, plus new events. */
export type SavedRecord = Omit<WorkflowRecord, 'definition' | 'lastEventId' | 'cancelRequested'> & HandedOver & { events?: WorkflowEvent[] };

/** A status with the id of the newest event it reflects (what `watch` sends). */
export interface StatusAt {
  status: WorkflowStatus;
  eventId: number;
}

/** Options of the store's list call (the SDK's are its own `ListOptions`). `cursor` is opaque: pass back what `next_cursor` gave. */
export interface StoreListOptions {
  limit: number;
  cursor?: string;
  status?: WorkflowState;
  /**
   * Only workflows whose name contains this text, ignoring case (see
   * nameSearchKey); at most MAX_NAME_FILTER_LENGTH characters; empty = no filter.
   */
  name?: string;
}

/** Result of create: `created` is false when the idempotency key had been used already. */
export interface CreateResult {
  id: string;
  created: boolean;
}

/**
 * The engine's only way to storage. Memory and Redis implement it and pass one
 * contract suite (test/store/contract.ts).
 */
export interface WorkflowStore {
  /** Which backend this is, for `/health` and the start-up log. */
  readonly kind: 'memory' | 'redis';

  /**
   * Inserts a new record (its version must be 1). When `idempotencyKey` was
   * used before, inserts nothing and returns the first workflow's id. The key
   * is freed when that workflow expires (retention). Creating an id that
   * exists is CONFLICT, unless the stored record is this very one at version 1
   * (a retry of a create whose reply was lost), which answers `created: true`.
   */
  create(record: NewRecord, idempotencyKey?: string): Promise<CreateResult>;

  /**
   * Writes several records in one go (one round trip on Redis). Each is
   * written only if the stored version is `record.version - 1`; the ids whose
   * check failed are returned (another writer owns them), the rest are written
   * atomically per record, in order (a batch may hold versions n and n+1 of one
   * workflow). A record identical to the stored one at the same version counts
   * as written, so retrying a batch whose reply was lost is safe. A missing
   * (or expired) workflow is a conflict.
   * Rejects only when the backend cannot be reached (FlowstateError UNAVAILABLE).
   * Reads (serialises) every record before it returns its promise: the engine
   * passes its live status documents and goes on changing them; except a
   * record `handedOver`, which the memory store keeps as it is.
   */
  saveMany(records: SavedRecord[]): Promise<{ conflicts: string[] }>;

  /** The whole record, or null when there is none. */
  get(id: string): Promise<WorkflowRecord | null>;

  /** The status document only (cheaper than get), or null. */
  getStatus(id: string): Promise<WorkflowStatus | null>;

  /** Marks `id` to be cancelled by whoever runs it next (see WorkflowRecord.cancelRequested). */
  requestCancel(id: string): Promise<void>;

  /** The status with the id of its newest event, or null. */
  getStatusAt(id: string): Promise<StatusAt | null>;

  /**
   * The workflow's history after event `after` (0: from the oldest kept),
   * oldest first, at most `limit`; null when the workflow is unknown. Each
   * workflow keeps its newest `maxEvents` events (store option) and they
   * expire with it.
   */
  events(id: string, after: number, limit: number): Promise<EventPage | null>;

  /**
   * Newest first (creation order); `next_cursor` is null on the last page.
   * Never scans the keyspace. A page may hold fewer than `limit` items and
   * still have a `next_cursor` (each call examines at most `limit` + the
   * store's scan budget of index entries: a rare `name` is found over several
   * calls). A malformed
   * cursor, limit, status or name is BAD_REQUEST.
   */
  list(options: StoreListOptions): Promise<WorkflowPage>;

  /**
   * How many workflows are in each state (from the listing indexes: a
   * finished workflow past its retention may count until the next sweep).
   */
  counts(): Promise<Record<WorkflowState, number>>;

  /** Ids of workflows whose status is pending or running, oldest first (for resume). */
  listUnfinished(): Promise<string[]>;

  /** Resolves when the backend answers. */
  ping(): Promise<void>;

  /** Releases connections. */
  close(): Promise<void>;
}
