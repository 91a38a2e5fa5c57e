import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';

/** Lists this short are drawn whole: windowing them saves nothing and hides rows from full-page views. */
const DRAW_ALL_UP_TO = 100;

/** Props of {@link VirtualList}. */
export interface VirtualListProps<T> {
  items: readonly T[];
  /** Every row's height in CSS pixels (fixed: what makes windowing O(1)). */
  rowHeight: number;
  getKey(item: T): string;
  renderRow(item: T, index: number): ComponentChildren;
  /** Accessible name of the list. */
  label: string;
  class?: string;
  /** Rows drawn beyond the viewport on each side (keeps Tab and fast scrolls smooth). */
  overscan?: number;
  /** Scroll inside a box this tall (CSS pixels) instead of with the page. */
  maxHeight?: number;
}

/**
 * A `<ul>` that draws only the rows in (or near) view: thousands of rows cost
 * the DOM of a few dozen. It scrolls with the page, or inside its own box when
 * `maxHeight` is set. Rows keep their position in the set
 * (`aria-setsize`/`aria-posinset`) for screen readers.
 */
export function VirtualList<T>({ items, rowHeight, getKey, renderRow, label, class: className, overscan = 10, maxHeight }: VirtualListProps<T>) {
  const ref = useRef<HTMLUListElement>(null);
  const box = useRef<HTMLDivElement>(null);
  const [range, setRange] = useState({ start: 0, end: Math.min(items.length, 60) });
  const windowed = items.length > DRAW_ALL_UP_TO;

  useLayoutEffect(() => {
    if (!windowed) return;
    let frame = 0;
    const measure = () => {
      frame = 0;
      const el = ref.current;
      if (!el) return;
      const own = box.current;
      const top = el.getBoundingClientRect().top - (own ? own.getBoundingClientRect().top : 0);
      const height = own ? own.clientHeight : innerHeight;
      const start = Math.max(0, Math.floor(-top / rowHeight) - overscan);
      // Below the fold, the first rows are drawn anyway: they are next when the page scrolls.
      const end = Math.min(items.length, Math.max(start + overscan, Math.ceil((height - top) / rowHeight) + overscan));
      setRange((r) => (r.start === start && r.end === end ? r : { start, end }));
    };
    // One measure per frame however many scroll events arrive.
    const schedule = () => {
      if (!frame) frame = requestAnimationFrame(measure);
    };
    measure();
    const target: EventTarget = box.current ?? window;
    target.addEventListener('scroll', schedule, { passive: true });
    addEventListener('resize', schedule);
    return () => {
      cancelAnimationFrame(frame);
      target.removeEventListener('scroll', schedule);
      removeEventListener('resize', schedule);
    };
  }, [items.length, rowHeight, overscan, windowed]);

  const rows = [];
  const [from, to] = windowed ? [range.start, Math.min(range.end, items.length)] : [0, items.length];
  for (let i = from; i < to; i++) {
    const item = items[i];
    rows.push(
      <li key={getKey(item)} style={{ top: `${i * rowHeight}px`, height: `${rowHeight}px` }} aria-setsize={items.length} aria-posinset={i + 1}>
        {renderRow(item, i)}
      </li>,
    );
  }
  const list = (
    <ul ref={ref} class={`vlist ${className ?? ''}`} aria-label={label} style={{ height: `${items.length * rowHeight}px` }}>
      {rows}
    </ul>
  );
  if (maxHeight === undefined) return list;
  return (
    <div ref={box} class="vlist-box" style={{ maxHeight: `${maxHeight}px` }}>
      {list}
    </div>
  );
}
