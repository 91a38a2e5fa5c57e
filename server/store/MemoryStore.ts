import { UNFINISHED_WORKFLOW_STATES, WorkflowStateSchema, isTerminal, type WorkflowPage, type WorkflowState, type WorkflowStatus } from '../../shared/status.ts';
import type { EventPage } from '../../shared/events.ts';
import type { WorkflowDefinition } from '../../shared/definition.ts';
import { FlowstateError } from '../errors.ts';
import { SeqIndex } from './SeqIndex.ts';
import { encodeCursor, parseListOptions } from './listOptions.ts';
import { assertConsistent, assertIdempotencyKey, assertNewRecord, duplicateId } from './recordChecks.ts';
import { nameSearchKey } from './nameSearchKey.ts';
import { retentionMs } from './retention.ts';
import { jsonText } from './jsonText.ts';
import { MemoryHistory } from './MemoryHistory.ts';
import type { CreateResult, StoreListOptions, NewRecord, SavedRecord, StatusAt, WorkflowRecord, WorkflowStore } from './WorkflowStore.ts';

/** Events kept per workflow unless the store is told otherwise (MAX_EVENTS_PER_WORKFLOW). */
export const DEFAULT_MAX_EVENTS = 10_000;

/** Index entries a list call may examine beyond its page, unless told otherwise (both stores). */
export const DEFAULT_LIST_SCAN_BUDGET = 1000;

/** Options of {@link createMemoryStore}. */
export interface MemoryStoreOptions {
  /** Seconds a finished (succeeded, failed, cancelled) workflow is kept; unset = forever. */
  retentionSeconds?: number;
  /** Events kept per workflow (the newest); default 10,000. */
  maxEvents?: number;
  /**
   * Index entries a list call may examine beyond the page before it hands back
   * a short page with a cursor (as on Redis: a name filter that few names
   * match never reads the whole store in one call). Default 1000.
   */
  listScanBudget?: number;
}

// What Redis holds in a workflow's hash, field for field: the documents are kept
// as JSON text, which both isolates callers from stored state and makes a
// round trip lose exactly what a Redis round trip loses (undefined, functions...).
// Except what its writer handed over (see HandedOver): kept as it is until
// first read (see textOf), as most workflows' documents are never read back,
// and serialising them was a tenth of the engine's CPU per workflow.
interface Entry {
  seq: number;
  v: number;
  state: WorkflowState;
  doc: string | WorkflowStatus;
  def: string | WorkflowDefinition;
  snap: string;
  idem: string | null;
  /** The name as list's name filter compares it (nameSearchKey; Redis field `lname`). */
  lname: string;
  /** Epoch ms after which the entry is gone; 0 = never. */
  expiresAt: number;
  /** The history (MemoryHistory: JSON text in chunks, capped). */
  history: MemoryHistory;
  cancel?: boolean;
}



/**
 * A {@link WorkflowStore} in process memory, with the Redis store's semantics in
 * every detail (it passes the same contract suite). Nothing survives a restart.
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): WorkflowStore {
  const keepMs = retentionMs(options.retentionSeconds);
  const maxEvents = Math.max(1, Math.floor(options.maxEvents ?? DEFAULT_MAX_EVENTS));
  const scanBudget = Math.max(1, Math.floor(options.listScanBudget ?? DEFAULT_LIST_SCAN_BUDGET));
  const entries = new Map<string, Entry>();
  const all = new SeqIndex();
  const byState = new Map<WorkflowState, SeqIndex>(WorkflowStateSchema.options.map((s) => [s, new SeqIndex()]));
  const idempotency = new Map<string, string>();
  // Expiry deadlines in the order they were set: with one retention for all,
  // that is also the order they fall due, so a purge only looks at the head.
  const expiring: Array<{ id: string; at: number }> = [];
  let expiringHead = 0;
  let lastSeq = 0;
  let closed = false;

  const stateIndex = (state: WorkflowState) => byState.get(state)!;
  const live = (entry: Entry | undefined, now: number): entry is Entry =>
    entry !== undefined && (entry.expiresAt === 0 || entry.expiresAt > now);

  function drop(id: string, entry: Entry): void {
    entries.delete(id);
    all.remove(entry.seq);
    stateIndex(entry.state).remove(entry.seq);
    if (entry.idem !== null && idempotency.get(entry.idem) === id) idempotency.delete(entry.idem);
  }

  function purgeExpired(now: number): void {
    while (expiringHead < expiring.length && expiring[expiringHead].at <= now) {
      const { id, at } = expiring[expiringHead++];
      const entry = entries.get(id);
      // A later save may have moved the deadline or cleared it: only the current one counts.
      if (entry !== undefined && entry.expiresAt === at) drop(id, entry);
    }
    if (expiringHead > 1024 && expiringHead * 2 > expiring.length) {
      expiring.splice(0, expiringHead);
      expiringHead = 0;
    }
  }

  function applyRetention(id: string, entry: Entry, now: number): void {
    if (isTerminal(entry.state)) {
      if (keepMs > 0) {
        entry.expiresAt = now + keepMs;
        expiring.push({ id, at: entry.expiresAt });
      }
    } else {
      entry.expiresAt = 0;
    }
  }

  // Every call starts here: refuse after close, and forget what has expired.
  function begin(): number {
    if (closed) throw new FlowstateError('UNAVAILABLE', 'the memory store is closed');
    const now = Date.now();
    purgeExpired(now);
    return now;
  }


  /** An entry's document as JSON text: a handed-over one is serialised now, once, and kept so. */
  function textOf(entry: Entry, field: 'doc' | 'def'): string {
    const value = entry[field];
    if (typeof value === 'string') return value;
    const text = jsonText(value);
    if (field === 'doc') entry.doc = text;
    else entry.def = text;
    return text;
  }

  function saveOne(record: SavedRecord, now: number): boolean {
    assertConsistent(record);
    const entry = entries.get(record.id);
    if (!live(entry, now)) return false;
    const keep = record.handedOver === true;
    const snap = jsonText(record.snapshot ?? null);
    if (entry.v !== record.version - 1) {
      // The same write again (its acknowledgement was lost) has landed already: not a conflict.
      return entry.v === record.version && textOf(entry, 'doc') === jsonText(record.status) && entry.snap === snap;
    }
    const doc = keep ? record.status : jsonText(record.status);
    const state = record.status.status;
    if (state !== entry.state) {
      stateIndex(entry.state).remove(entry.seq);
      stateIndex(state).add(entry.seq, record.id);
    }
    entry.v = record.version;
    entry.state = state;
    entry.doc = doc;
    entry.snap = snap;
    entry.history.append(record.events, keep);
    applyRetention(record.id, entry, now);
    return true;
  }

  return {
    kind: 'memory',

    async create(record: NewRecord, idempotencyKey?: string): Promise<CreateResult> {
      const now = begin();
      assertNewRecord(record);
      assertIdempotencyKey(idempotencyKey);
      if (idempotencyKey !== undefined) {
        const firstId = idempotency.get(idempotencyKey);
        // A key pointing at this very id is a retry; the check below settles it.
        if (firstId !== undefined && firstId !== record.id && live(entries.get(firstId), now)) return { id: firstId, created: false };
      }
      const keep = record.handedOver === true;
      const existing = entries.get(record.id);
      if (live(existing, now)) {
        // The same create again (its acknowledgement was lost) has landed already.
        const same = existing.v === 1 && textOf(existing, 'doc') === jsonText(record.status) && textOf(existing, 'def') === jsonText(record.definition);
        if (same) return { id: record.id, created: true };
        throw duplicateId(record.id);
      }
      const entry: Entry = {
        seq: ++lastSeq,
        v: 1,
        state: record.status.status,
        doc: keep ? record.status : jsonText(record.status),
        def: keep ? record.definition : jsonText(record.definition),
        snap: jsonText(record.snapshot ?? null),
        idem: idempotencyKey ?? null,
        lname: nameSearchKey(record.status.name),
        expiresAt: 0,
        history: new MemoryHistory(maxEvents),
      };
      entry.history.append(record.events, keep);
      entries.set(record.id, entry);
      all.add(entry.seq, record.id);
      stateIndex(entry.state).add(entry.seq, record.id);
      if (idempotencyKey !== undefined) idempotency.set(idempotencyKey, record.id);
      applyRetention(record.id, entry, now);
      return { id: record.id, created: true };
    },

    async saveMany(records: SavedRecord[]): Promise<{ conflicts: string[] }> {
      const now = begin();
      const conflicts: string[] = [];
      // In order, like the pipelined scripts on Redis: a later record may build on an earlier one.
      for (const record of records) if (!saveOne(record, now)) conflicts.push(record.id);
      return { conflicts };
    },

    async get(id: string): Promise<WorkflowRecord | null> {
      const entry = entries.get(id);
      if (!live(entry, begin())) return null;
      return {
        id,
        status: JSON.parse(textOf(entry, 'doc')) as WorkflowStatus,
        definition: JSON.parse(textOf(entry, 'def')) as WorkflowDefinition,
        snapshot: JSON.parse(entry.snap) as unknown,
        version: entry.v,
        lastEventId: entry.history.lastId,
        ...(entry.cancel ? { cancelRequested: true } : {}),
      };
    },

    async getStatus(id: string): Promise<WorkflowStatus | null> {
      const entry = entries.get(id);
      return live(entry, begin()) ? (JSON.parse(textOf(entry, 'doc')) as WorkflowStatus) : null;
    },

    async requestCancel(id: string): Promise<void> {
      const entry = entries.get(id);
      if (live(entry, begin())) entry.cancel = true;
    },

    async getStatusAt(id: string): Promise<StatusAt | null> {
      const entry = entries.get(id);
      return live(entry, begin()) ? { status: JSON.parse(textOf(entry, 'doc')) as WorkflowStatus, eventId: entry.history.lastId } : null;
    },

    async events(id: string, after: number, limit: number): Promise<EventPage | null> {
      const entry = entries.get(id);
      if (!live(entry, begin())) return null;
      return entry.history.page(after, limit);
    },

    async list(listOptions: StoreListOptions): Promise<WorkflowPage> {
      const now = begin();
      const { limit, before, status, nameKey } = parseListOptions(listOptions);
      const index = status === undefined ? all : stateIndex(status);
      const items: WorkflowStatus[] = [];
      // The cursor is the last entry examined: the next page starts below it, whether this one
      // ended full or ran out of budget among workflows the filter does not list.
      let lastSeqExamined = 0;
      let scanned = 0;
      let more = false;
      for (const [seq, id] of index.descending(before)) {
        if (scanned === limit + scanBudget) {
          more = true;
          break;
        }
        const entry = entries.get(id);
        if (live(entry, now) && (nameKey === undefined || entry.lname.includes(nameKey))) {
          if (items.length === limit) {
            more = true;
            break;
          }
          items.push(JSON.parse(textOf(entry, 'doc')) as WorkflowStatus);
        }
        lastSeqExamined = seq;
        scanned++;
      }
      return { items, next_cursor: more ? encodeCursor(lastSeqExamined) : null };
    },

    async counts(): Promise<Record<WorkflowState, number>> {
      begin();
      const counts = {} as Record<WorkflowState, number>;
      for (const state of WorkflowStateSchema.options) counts[state] = stateIndex(state).size;
      return counts;
    },

    async listUnfinished(): Promise<string[]> {
      begin();
      const found = UNFINISHED_WORKFLOW_STATES.flatMap((state) => [...stateIndex(state).ascending()]);
      return found.sort((a, b) => a[0] - b[0]).map(([, id]) => id);
    },

    async ping(): Promise<void> {
      begin();
    },

    async close(): Promise<void> {
      closed = true;
    },
  };
}
