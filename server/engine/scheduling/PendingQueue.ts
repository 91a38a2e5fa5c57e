import type { Priority } from '../../../shared/definition.ts';

/** One push: the item it holds now (a push of the same id replaces it in place; null once removed). */
interface Slot<T> {
  readonly id: string;
  item: T | null;
}

/** The slots of one priority, oldest first; those before `head` were handed out or are stale. */
interface Lane<T> {
  slots: Slot<T>[];
  head: number;
}

/** Priorities in the order they are served. */
const SERVED: readonly Priority[] = ['high', 'normal', 'low'];

/**
 * Workflows waiting for a slot: high before normal before low, FIFO within a
 * priority. Each priority is an array read from a moving head, not a Map read
 * from its first entry: a Map's iterator steps over every entry deleted
 * before it, so taking the oldest of a burst of 2,000 cost more with each one
 * taken. A removed item stays in its array as a stale slot, skipped when reached.
 */
export class PendingQueue<T extends { id: string }> {
  private readonly lanes: Record<Priority, Lane<T>> = { high: { slots: [], head: 0 }, normal: { slots: [], head: 0 }, low: { slots: [], head: 0 } };
  /** The live slot of each queued id. */
  private readonly byId = new Map<string, Slot<T>>();
  /** Slots in the lanes that hold no item (removed before the head reached them). */
  private stale = 0;

  get size(): number {
    return this.byId.size;
  }

  push(item: T, priority: Priority): void {
    const queued = this.byId.get(item.id);
    if (queued) {
      queued.item = item;
      return;
    }
    const slot: Slot<T> = { id: item.id, item };
    this.byId.set(item.id, slot);
    this.lanes[priority].slots.push(slot);
  }

  /** The next item to start, or undefined when empty. */
  shift(): T | undefined {
    for (const priority of SERVED) {
      const lane = this.lanes[priority];
      while (lane.head < lane.slots.length) {
        const slot = lane.slots[lane.head++];
        if (this.byId.get(slot.id) !== slot) {
          if (slot.item === null) this.stale--;
          continue;
        }
        this.byId.delete(slot.id);
        this.compact(lane);
        return slot.item!;
      }
      this.compact(lane);
    }
    return undefined;
  }

  get(id: string): T | undefined {
    return this.byId.get(id)?.item ?? undefined;
  }

  /** Removes and returns the item, if queued. */
  remove(id: string): T | undefined {
    const slot = this.byId.get(id);
    if (!slot) return undefined;
    this.byId.delete(id);
    const item = slot.item!;
    // Its stale slot stays in the array until the head passes it: let the item go now.
    slot.item = null;
    // Removed faster than taken (cancels of queued workflows while every slot is busy):
    // drop the stale slots once they outnumber the live ones, so the lanes stay bounded.
    if (++this.stale > 1024 && this.stale > this.byId.size) this.dropStale();
    return item;
  }

  values(): T[] {
    const items: T[] = [];
    for (const priority of SERVED) {
      const lane = this.lanes[priority];
      for (let i = lane.head; i < lane.slots.length; i++) if (this.byId.get(lane.slots[i].id) === lane.slots[i]) items.push(lane.slots[i].item!);
    }
    return items;
  }

  private dropStale(): void {
    for (const priority of SERVED) {
      const lane = this.lanes[priority];
      lane.slots = lane.slots.slice(lane.head).filter((slot) => slot.item !== null);
      lane.head = 0;
    }
    this.stale = 0;
  }

  /** Drops what was handed out once it is most of the array (O(1) per shift, amortised). */
  private compact(lane: Lane<T>): void {
    if (lane.head === lane.slots.length) {
      lane.slots = [];
      lane.head = 0;
    } else if (lane.head >= 1024 && lane.head * 2 >= lane.slots.length) {
      lane.slots = lane.slots.slice(lane.head);
      lane.head = 0;
    }
  }
}
