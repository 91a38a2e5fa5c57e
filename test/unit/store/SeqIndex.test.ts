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
