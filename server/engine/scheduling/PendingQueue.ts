import type { Priority } from '../../../shared/definition.ts';

/** Workflows waiting for a slot: high before normal before low, FIFO within a priority. */
export class PendingQueue<T extends { id: string }> {
  private readonly lanes: Record<Priority, Map<string, T>> = { high: new Map(), normal: new Map(), low: new Map() };

  get size(): number {
    return this.lanes.high.size + this.lanes.normal.size + this.lanes.low.size;
  }

  push(item: T, priority: Priority): void {
    this.lanes[priority].set(item.id, item);
  }

  /** The next item to start, or undefined when empty. */
  shift(): T | undefined {
    for (const lane of [this.lanes.high, this.lanes.normal, this.lanes.low]) {
      const first = lane.values().next();
      if (!first.done) {
        lane.delete(first.value.id);
        return first.value;
      }
    }
    return undefined;
  }

  get(id: string): T | undefined {
    return this.lanes.high.get(id) ?? this.lanes.normal.get(id) ?? this.lanes.low.get(id);
  }

  /** Removes and returns the item, if queued. */
  remove(id: string): T | undefined {
    const item = this.get(id);
    if (item) for (const lane of Object.values(this.lanes)) lane.delete(id);
    return item;
  }

  values(): T[] {
    return [...this.lanes.high.values(), ...this.lanes.normal.values(), ...this.lanes.low.values()];
  }
}
