import { describe, expect, it } from 'vitest';
import { PendingQueue } from '../../../../server/engine/scheduling/PendingQueue.ts';

const item = (id: string) => ({ id });

describe('PendingQueue', () => {
  it('hands out high before normal before low, first in first out within each', () => {
    const q = new PendingQueue<{ id: string }>();
    q.push(item('low1'), 'low');
    q.push(item('n1'), 'normal');
    q.push(item('h1'), 'high');
    q.push(item('n2'), 'normal');
    q.push(item('h2'), 'high');
    expect(q.size).toBe(5);
    expect(q.values().map((i) => i.id)).toEqual(['h1', 'h2', 'n1', 'n2', 'low1']);
    const order: string[] = [];
    for (let next = q.shift(); next; next = q.shift()) order.push(next.id);
    expect(order).toEqual(['h1', 'h2', 'n1', 'n2', 'low1']);
    expect([q.size, q.shift()]).toEqual([0, undefined]);
  });

  it('finds and removes an item by id, whatever its priority', () => {
    const q = new PendingQueue<{ id: string }>();
    q.push(item('a'), 'low');
    q.push(item('b'), 'high');
    expect(q.get('a')?.id).toBe('a');
    expect(q.remove('a')?.id).toBe('a');
    expect([q.get('a'), q.remove('a'), q.size]).toEqual([undefined, undefined, 1]);
    expect(q.shift()?.id).toBe('b');
  });

  it('keeps one entry per id: pushing an id again replaces it in place', () => {
    const q = new PendingQueue<{ id: string; v: number }>();
    q.push({ id: 'a', v: 1 }, 'normal');
    q.push({ id: 'b', v: 1 }, 'normal');
    q.push({ id: 'a', v: 2 }, 'normal');
    expect(q.values()).toEqual([
      { id: 'a', v: 2 },
      { id: 'b', v: 1 },
    ]);
  });

  it('queues an id removed and pushed again at the back, and keeps FIFO order through many removals', () => {
    const q = new PendingQueue<{ id: string }>();
    q.push(item('a'), 'normal');
    q.push(item('b'), 'normal');
    q.remove('a');
    q.push(item('a'), 'normal');
    expect(q.values().map((i) => i.id)).toEqual(['b', 'a']);
    expect([q.shift()?.id, q.shift()?.id, q.shift()]).toEqual(['b', 'a', undefined]);

    for (let i = 0; i < 5000; i++) q.push(item(`w${i}`), 'normal');
    for (let i = 0; i < 5000; i += 3) q.remove(`w${i}`);
    const order: string[] = [];
    for (let next = q.shift(); next; next = q.shift()) order.push(next.id);
    const expected = Array.from({ length: 5000 }, (_, i) => i).filter((i) => i % 3 !== 0).map((i) => `w${i}`);
    expect(order).toEqual(expected);
    expect(q.size).toBe(0);
  });

  it('stays bounded when workflows are removed faster than taken (cancelled while every slot is busy)', () => {
    const q = new PendingQueue<{ id: string }>();
    for (let i = 0; i < 10; i++) q.push(item(`keep${i}`), i % 2 ? 'high' : 'low');
    for (let i = 0; i < 100_000; i++) {
      q.push(item(`c${i}`), 'normal');
      q.remove(`c${i}`);
    }
    const lanes = (q as unknown as { lanes: Record<string, { slots: unknown[] }> }).lanes;
    const held = Object.values(lanes).reduce((n, lane) => n + lane.slots.length, 0);
    expect(held).toBeLessThan(2100);
    expect(q.size).toBe(10);
    const order: string[] = [];
    for (let next = q.shift(); next; next = q.shift()) order.push(next.id);
    expect(order).toEqual(['keep1', 'keep3', 'keep5', 'keep7', 'keep9', 'keep0', 'keep2', 'keep4', 'keep6', 'keep8']);
  });
});
