import { describe, expect, it } from 'vitest';
import { SeqIndex } from '../../../server/store/SeqIndex.ts';

const ids = (it: Iterable<[number, string]>) => [...it].map(([seq, id]) => `${seq}:${id}`);

describe('SeqIndex', () => {
  it('keeps ids in sequence order whatever order they arrive in', () => {
    const index = new SeqIndex();
    index.add(5, 'e');
    index.add(1, 'a');
    index.add(9, 'i');
    index.add(3, 'c');
    expect(index.size).toBe(4);
    expect(ids(index.ascending())).toEqual(['1:a', '3:c', '5:e', '9:i']);
    expect(ids(index.descending())).toEqual(['9:i', '5:e', '3:c', '1:a']);
  });

  it('reads downwards from below a cursor, exclusive', () => {
    const index = new SeqIndex();
    for (const seq of [1, 2, 3, 4, 5]) index.add(seq, `w${seq}`);
    expect(ids(index.descending(4))).toEqual(['3:w3', '2:w2', '1:w1']);
    expect(ids(index.descending(1))).toEqual([]);
    expect(ids(index.descending(100))).toEqual(['5:w5', '4:w4', '3:w3', '2:w2', '1:w1']);
  });

  it('holds each sequence number once, and removes by it (removing an absent one changes nothing)', () => {
    const index = new SeqIndex();
    index.add(2, 'old');
    index.add(4, 'x');
    index.add(2, 'new');
    expect(ids(index.ascending())).toEqual(['2:new', '4:x']);
    index.remove(3);
    index.remove(2);
    expect(ids(index.ascending())).toEqual(['4:x']);
    expect(index.size).toBe(1);
  });
});

describe('SeqIndex removing from the front', () => {
  it('keeps order, size and lookups right across many removals of the lowest, mixed with others', () => {
    const index = new SeqIndex();
    const expected = new Map<number, string>();
    for (let seq = 1; seq <= 5000; seq++) {
      index.add(seq, `w${seq}`);
      expected.set(seq, `w${seq}`);
    }
    // The lowest first (a FIFO of pending workflows), every 7th from the middle, and some re-added.
    for (let seq = 1; seq <= 4000; seq++) {
      index.remove(seq);
      expected.delete(seq);
      if (seq % 7 === 0) {
        index.remove(seq + 500);
        expected.delete(seq + 500);
      }
      if (seq % 1000 === 0) {
        index.add(seq + 700, `again${seq}`);
        expected.set(seq + 700, `again${seq}`);
      }
    }
    const want = [...expected.entries()].sort((a, b) => a[0] - b[0]).map(([seq, id]) => `${seq}:${id}`);
    expect(index.size).toBe(want.length);
    expect(ids(index.ascending())).toEqual(want);
    expect(ids(index.descending())).toEqual([...want].reverse());
    expect(ids(index.descending(4600)).length).toBe(want.filter((w) => Number(w.split(':')[0]) < 4600).length);
  });

  it('is empty after its last entry goes, and takes new entries below the old ones', () => {
    const index = new SeqIndex();
    index.add(10, 'a');
    index.add(11, 'b');
    index.remove(10);
    index.remove(11);
    expect(index.size).toBe(0);
    expect(ids(index.ascending())).toEqual([]);
    index.add(3, 'c');
    index.add(1, 'd');
    expect(ids(index.ascending())).toEqual(['1:d', '3:c']);
    index.remove(1);
    index.add(2, 'e');
    expect(ids(index.descending())).toEqual(['3:c', '2:e']);
  });
});
