import { UNFINISHED_WORKFLOW_STATES, WorkflowStateSchema, isTerminal } from '../../shared/status.ts';
import type { WorkflowPage, WorkflowState, WorkflowStatus } from '../../shared/status.ts';
import type { EventPage, WorkflowEvent } from '../../shared/events.ts';
import { FlowstateError } from '../errors.ts';
import { SeqIndex } from './SeqIndex.ts';
import { encodeCursor, parseListOptions } from './listOptions.ts';
import { assertConsistent, assertIdempotencyKey, assertNewRecord, duplicateId } from './recordChecks.ts';
import { nameSearchKey } from './nameSearchKey.ts';
import { retentionMs } from './retention.ts';
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
interface Entry {
  seq: number;
  v: number;
  state: WorkflowState;
  doc: string;
  def: string;
  snap: string;
  idem: string | null;
  /** The name as list's name filter compares it (nameSearchKey; Redis field `lname`). */
  lname: string;
  /** Epoch ms after which the entry is gone; 0 = never. */
  expiresAt: number;
  /**
   * The history as JSON text, oldest first: chunks of up to EVENTS_PER_CHUNK
   * events each (a JSON array, as one write brought them), the position in
   * `eventIds` of each chunk's first event, and every event's id. At most
   * `maxEvents` of them count.
   */
  chunks: string[];
  chunkStart: number[];
  eventIds: number[];
  cancel?: boolean;
}

/**
 * Most events one chunk of stored history holds. A write's events are kept as
 * one JSON text per chunk, not one per event (a seed-shape workflow's final
 * write brings 8): fewer strings to make and hold, and a page read parses at
 * most this many events beyond its own at each end.
 */
const EVENTS_PER_CHUNK = 64;

/**
 * JSON text as the store keeps it. JSON.stringify hands back a rope (a tree of
 * the chunks it wrote, ~25 heap objects per workflow); kept as is, every one
 * of them is copied by each young-generation GC and held for good. Converting
 * to a number reads the string through, which flattens it in place (one copy
 * of ~1 kB), and the next GC drops the chunks: about a fifth less memory per
 * stored workflow, no more CPU.
 */
function json(value: unknown): string {
  const text = JSON.stringify(value);
  Number(text); // read for its side effect: V8 flattens the rope
  return text;
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

  /** Appends the events `entry` does not have yet, keeping the newest `maxEvents`. */
  function appendEvents(entry: Entry, events: WorkflowEvent[] = []): void {
    const ids = entry.eventIds;
    const stored = ids.length > 0 ? ids[ids.length - 1] : 0;
    // Usually every event is new, in order. Otherwise each one newer than the last kept is
    // kept (a write retried after its answer was lost repeats events the store has).
    let fresh = events;
    if (events.some((e, i) => e.id <= (i === 0 ? stored : events[i - 1].id))) {
      fresh = [];
      let last = stored;
      for (const event of events) {
        if (event.id <= last) continue;
        fresh.push(event);
        last = event.id;
      }
    }
    for (let i = 0; i < fresh.length; i += EVENTS_PER_CHUNK) {
      const chunk = fresh.length <= EVENTS_PER_CHUNK ? fresh : fresh.slice(i, i + EVENTS_PER_CHUNK);
      entry.chunkStart.push(ids.length);
      entry.chunks.push(json(chunk));
      for (const event of chunk) ids.push(event.id);
    }
    // Trimmed in whole chunks; reads look at the newest `maxEvents` only.
    if (ids.length > maxEvents + 1024) {
      let drop = 0;
      while (drop + 1 < entry.chunks.length && ids.length - entry.chunkStart[drop + 1] >= maxEvents) drop++;
      const cut = entry.chunkStart[drop];
      ids.splice(0, cut);
      entry.chunks.splice(0, drop);
      entry.chunkStart.splice(0, drop);
      for (let c = 0; c < entry.chunkStart.length; c++) entry.chunkStart[c] -= cut;
    }
  }

  function lastEventId(entry: Entry): number {
    return entry.eventIds.length > 0 ? entry.eventIds[entry.eventIds.length - 1] : 0;
  }

  function saveOne(record: SavedRecord, now: number): boolean {
    assertConsistent(record);
    const entry = entries.get(record.id);
    if (!live(entry, now)) return false;
    const doc = json(record.status);
    const snap = json(record.snapshot ?? null);
    if (entry.v !== record.version - 1) {
      // The same write again (its acknowledgement was lost) has landed already: not a conflict.
      return entry.v === record.version && entry.doc === doc && entry.snap === snap;
    }
    const state = record.status.status;
    if (state !== entry.state) {
      stateIndex(entry.state).remove(entry.seq);
      stateIndex(state).add(entry.seq, record.id);
    }
    entry.v = record.version;
    entry.state = state;
    entry.doc = doc;
    entry.snap = snap;
    appendEvents(entry, record.events);
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
      const doc = json(record.status);
      const def = json(record.definition);
      const existing = entries.get(record.id);
      if (live(existing, now)) {
        // The same create again (its acknowledgement was lost) has landed already.
        if (existing.v === 1 && existing.doc === doc && existing.def === def) return { id: record.id, created: true };
        throw duplicateId(record.id);
      }
      const entry: Entry = {
        seq: ++lastSeq,
        v: 1,
        state: record.status.status,
        doc,
        def,
        snap: json(record.snapshot ?? null),
        idem: idempotencyKey ?? null,
        lname: nameSearchKey(record.status.name),
        expiresAt: 0,
        chunks: [],
        chunkStart: [],
        eventIds: [],
      };
      appendEvents(entry, record.events);
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
        status: JSON.parse(entry.doc) as WorkflowStatus,
        definition: JSON.parse(entry.def) as WorkflowRecord['definition'],
        snapshot: JSON.parse(entry.snap) as unknown,
        version: entry.v,
        lastEventId: lastEventId(entry),
        ...(entry.cancel ? { cancelRequested: true } : {}),
      };
    },

    async getStatus(id: string): Promise<WorkflowStatus | null> {
      const entry = entries.get(id);
      return live(entry, begin()) ? (JSON.parse(entry.doc) as WorkflowStatus) : null;
    },

    async requestCancel(id: string): Promise<void> {
      const entry = entries.get(id);
      if (live(entry, begin())) entry.cancel = true;
    },

    async getStatusAt(id: string): Promise<StatusAt | null> {
      const entry = entries.get(id);
      return live(entry, begin()) ? { status: JSON.parse(entry.doc) as WorkflowStatus, eventId: lastEventId(entry) } : null;
    },

    async events(id: string, after: number, limit: number): Promise<EventPage | null> {
      const entry = entries.get(id);
      if (!live(entry, begin())) return null;
      const ids = entry.eventIds;
      // First index past `after`, among the newest `maxEvents` (binary search: ids increase).
      let lo = Math.max(0, ids.length - maxEvents);
      let hi = ids.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (ids[mid] <= after) lo = mid + 1;
        else hi = mid;
      }
      const end = Math.min(ids.length, lo + limit);
      const items: WorkflowEvent[] = [];
      if (lo < end) {
        // The chunk holding event `lo`: the last one starting at or before it.
        const starts = entry.chunkStart;
        let c = 0;
        for (let hiC = starts.length - 1; c < hiC; ) {
          const mid = (c + hiC + 1) >>> 1;
          if (starts[mid] <= lo) c = mid;
          else hiC = mid - 1;
        }
        for (; c < starts.length && starts[c] < end; c++) {
          const chunk = JSON.parse(entry.chunks[c]) as WorkflowEvent[];
          for (let i = Math.max(lo - starts[c], 0); i < chunk.length && starts[c] + i < end; i++) items.push(chunk[i]);
        }
      }
      return { items, next_cursor: end < ids.length ? String(ids[end - 1]) : null };
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
          items.push(JSON.parse(entry.doc) as WorkflowStatus);
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
