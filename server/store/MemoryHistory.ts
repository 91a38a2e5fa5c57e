import type { EventPage, WorkflowEvent } from '../../shared/events.ts';
import { jsonText } from './jsonText.ts';

/**
 * Most events one chunk of stored history holds. A write's events are kept as
 * one JSON text per chunk, not one per event (a seed-shape workflow's final
 * write brings 8): fewer strings to make and hold, and a page read parses at
 * most this many events beyond its own at each end.
 */
const EVENTS_PER_CHUNK = 64;

/**
 * One workflow's history in the memory store, as the Redis store's stream
 * holds it: oldest first, ids increasing, the newest `maxEvents` readable.
 * Kept as JSON text in chunks of up to EVENTS_PER_CHUNK events (a JSON array,
 * as one write brought them), with the position in `eventIds` of each chunk's
 * first event and every event's id.
 */
export class MemoryHistory {
  /** JSON text, or the events themselves when their writer handed them over (serialised on first read). */
  private readonly chunks: Array<string | WorkflowEvent[]> = [];
  private readonly chunkStart: number[] = [];
  private readonly eventIds: number[] = [];

  constructor(private readonly maxEvents: number) {}

  /** The newest event's id (0 when there is none). */
  get lastId(): number {
    return this.eventIds.length > 0 ? this.eventIds[this.eventIds.length - 1] : 0;
  }

  /**
   * Appends the events it does not have yet, keeping the newest `maxEvents`.
   * `handedOver`: their writer never changes them again, so they are kept as
   * they are (see SavedRecord), not as text.
   */
  append(events: WorkflowEvent[] = [], handedOver = false): void {
    const ids = this.eventIds;
    const stored = this.lastId;
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
      this.chunkStart.push(ids.length);
      this.chunks.push(handedOver ? chunk : jsonText(chunk));
      for (const event of chunk) ids.push(event.id);
    }
    // Trimmed in whole chunks; reads look at the newest `maxEvents` only.
    if (ids.length > this.maxEvents + 1024) {
      let drop = 0;
      while (drop + 1 < this.chunks.length && ids.length - this.chunkStart[drop + 1] >= this.maxEvents) drop++;
      const cut = this.chunkStart[drop];
      ids.splice(0, cut);
      this.chunks.splice(0, drop);
      this.chunkStart.splice(0, drop);
      for (let c = 0; c < this.chunkStart.length; c++) this.chunkStart[c] -= cut;
    }
  }

  /** Up to `limit` events after id `after`, oldest first, and the cursor of the next page. */
  page(after: number, limit: number): EventPage {
    const ids = this.eventIds;
    // First index past `after`, among the newest `maxEvents` (binary search: ids increase).
    let lo = Math.max(0, ids.length - this.maxEvents);
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
      const starts = this.chunkStart;
      let c = 0;
      for (let hiC = starts.length - 1; c < hiC; ) {
        const mid = (c + hiC + 1) >>> 1;
        if (starts[mid] <= lo) c = mid;
        else hiC = mid - 1;
      }
      for (; c < starts.length && starts[c] < end; c++) {
        const chunk = JSON.parse(this.chunkText(c)) as WorkflowEvent[];
        for (let i = Math.max(lo - starts[c], 0); i < chunk.length && starts[c] + i < end; i++) items.push(chunk[i]);
      }
    }
    return { items, next_cursor: end < ids.length ? String(ids[end - 1]) : null };
  }

  /** Chunk `c` as JSON text: handed-over events are serialised on their first read, and kept so. */
  private chunkText(c: number): string {
    const chunk = this.chunks[c];
    return typeof chunk === 'string' ? chunk : (this.chunks[c] = jsonText(chunk));
  }
}
