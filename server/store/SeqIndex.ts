/**
 * Ids ordered by their sequence number (the memory store's equivalent of a
 * Redis sorted set). Appends are O(1) because new workflows get the highest
 * number, and so are removals of the lowest, the usual case (pending
 * workflows start in about the order they were made); other moves between
 * state indexes are a binary search and one splice.
 */
export class SeqIndex {
  private readonly seqs: number[] = [];
  private readonly ids: string[] = [];
  /** Entries before this position were removed from the front and not yet compacted away. */
  private head = 0;

  /** Number of ids held. */
  get size(): number {
    return this.seqs.length - this.head;
  }

  /** Adds `id` under `seq` (each seq is held at most once). */
  add(seq: number, id: string): void {
    const n = this.seqs.length;
    if (n === this.head || this.seqs[n - 1] < seq) {
      this.seqs.push(seq);
      this.ids.push(id);
      return;
    }
    const at = this.lowerBound(seq);
    if (this.seqs[at] === seq) {
      this.ids[at] = id;
      return;
    }
    this.seqs.splice(at, 0, seq);
    this.ids.splice(at, 0, id);
  }

  /** Removes the id held under `seq`, if any. */
  remove(seq: number): void {
    const at = this.lowerBound(seq);
    if (this.seqs[at] !== seq) return;
    if (at !== this.head) {
      this.seqs.splice(at, 1);
      this.ids.splice(at, 1);
      return;
    }
    // The lowest: step over it; the dead prefix is cut off once it is most of the arrays.
    this.ids[at] = '';
    this.head++;
    if (this.head === this.seqs.length) {
      this.seqs.length = 0;
      this.ids.length = 0;
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.seqs.length) {
      this.seqs.splice(0, this.head);
      this.ids.splice(0, this.head);
      this.head = 0;
    }
  }

  /** Yields `[seq, id]` from the highest seq below `before` (exclusive) downwards. */
  *descending(before = Infinity): Generator<[number, string]> {
    for (let i = this.lowerBound(before) - 1; i >= this.head; i--) yield [this.seqs[i], this.ids[i]];
  }

  /** Yields `[seq, id]` from the lowest seq upwards. */
  *ascending(): Generator<[number, string]> {
    for (let i = this.head; i < this.seqs.length; i++) yield [this.seqs[i], this.ids[i]];
  }

  // First position at or after the head whose seq is >= `seq`.
  private lowerBound(seq: number): number {
    let lo = this.head;
    let hi = this.seqs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.seqs[mid] < seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
