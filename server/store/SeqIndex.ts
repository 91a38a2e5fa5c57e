/**
 * Ids ordered by their sequence number (the memory store's equivalent of a
 * Redis sorted set). Appends are O(1) because new workflows get the highest
 * number; moves between state indexes are a binary search and one splice.
 */
export class SeqIndex {
  private readonly seqs: number[] = [];
  private readonly ids: string[] = [];

  /** Number of ids held. */
  get size(): number {
    return this.seqs.length;
  }

  /** Adds `id` under `seq` (each seq is held at most once). */
  add(seq: number, id: string): void {
    const n = this.seqs.length;
    if (n === 0 || this.seqs[n - 1] < seq) {
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
    this.seqs.splice(at, 1);
    this.ids.splice(at, 1);
  }

  /** Yields `[seq, id]` from the highest seq below `before` (exclusive) downwards. */
  *descending(before = Infinity): Generator<[number, string]> {
    for (let i = this.lowerBound(before) - 1; i >= 0; i--) yield [this.seqs[i], this.ids[i]];
  }

  /** Yields `[seq, id]` from the lowest seq upwards. */
  *ascending(): Generator<[number, string]> {
    for (let i = 0; i < this.seqs.length; i++) yield [this.seqs[i], this.ids[i]];
  }

  // First position whose seq is >= `seq`.
  private lowerBound(seq: number): number {
    let lo = 0;
    let hi = this.seqs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.seqs[mid] < seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
