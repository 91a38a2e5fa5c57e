import type { WorkflowStatus } from '../../index.ts';
import { href } from '../app/useRoute.ts';
import { formatDuration } from '../ui/time.ts';
import { useMediaQuery } from '../ui/useMediaQuery.ts';
import { VirtualList } from '../ui/VirtualList.tsx';
import { buildTimeline, type TimelineEvent, type TimelineRow } from './timelineModel.ts';

const ROW_HEIGHT = 28;
/** Axis labels: fewer on a phone, where five would overlap. */
const TICKS = { wide: 4, narrow: 2 };
/** The timeline scrolls in its own box past this height, so the history below it stays near. */
const BOX_HEIGHT = 420;

/** An axis label: milliseconds while the whole span is short, else the usual duration. */
function tickLabel(ms: number, span: number): string {
  return span < 2000 ? `+${Math.round(ms)}ms` : `+${formatDuration(ms)}`;
}

/**
 * Where the time went: one row per task, one bar per attempt on a shared
 * axis, hatched gaps for retry backoff. Each row also says it in words (for
 * screen readers, and a tooltip), so nothing depends on colour. Rows are
 * windowed: a 1,000-task workflow draws only what is on screen.
 */
export function Timeline({ status, now, events }: { status: WorkflowStatus; now: number; events?: readonly TimelineEvent[] }) {
  const tl = buildTimeline(status, now, events);
  const ticks = useMediaQuery('(max-width: 700px)') ? TICKS.narrow : TICKS.wide;
  const span = tl.end - tl.start;
  const pct = (t: number) => `${(((t - tl.start) / span) * 100).toFixed(3)}%`;
  const width = (a: number, b: number) => `max(2px, ${(((b - a) / span) * 100).toFixed(3)}%)`;

  const describe = (row: TimelineRow) =>
    row.bars.length === 0
      ? `${row.taskId}: not started`
      : `${row.taskId}: ` +
        row.bars
          .map((b) => `attempt ${b.attempt} ${b.outcome} after ${formatDuration(b.end - b.start)}, from +${formatDuration(b.start - tl.start)}`)
          .join('; ') +
        (row.gaps.length ? `; waited ${row.gaps.map((g) => formatDuration(g.end - g.start)).join(', ')} between attempts` : '');

  return (
    <div class="timeline">
      <div class="tl-axis" aria-hidden="true">
        <span class="tl-label" />
        <span class="tl-track">
          {Array.from({ length: ticks + 1 }, (_, i) => (
            <span key={i} class="tl-tick" style={{ left: `${(i / ticks) * 100}%` }}>
              {tickLabel((span * i) / ticks, span)}
            </span>
          ))}
        </span>
      </div>
      <VirtualList
        items={tl.rows}
        rowHeight={ROW_HEIGHT}
        getKey={(r) => r.taskId}
        label="Timeline, one row per task"
        class="tl-rows"
        maxHeight={BOX_HEIGHT}
        renderRow={(row) => (
          <a class="tl-row" href={href({ view: 'workflow', id: status.id, task: row.taskId })} title={describe(row)}>
            <span class="tl-label mono">{row.taskId}</span>
            <span class="tl-track">
              {row.gaps.map((g, i) => (
                <span key={`g${i}`} class="tl-gap" style={{ left: pct(g.start), width: width(g.start, g.end) }} />
              ))}
              {row.bars.map((b) => (
                <span key={b.attempt} class={`tl-bar s-${b.outcome}`} style={{ left: pct(b.start), width: width(b.start, b.end) }} />
              ))}
            </span>
            <span class="sr-only">{describe(row)}</span>
          </a>
        )}
      />
      <p class="tl-legend muted">
        <span class="tl-key s-succeeded" /> succeeded <span class="tl-key s-failed" /> failed <span class="tl-key s-running" /> running{' '}
        <span class="tl-key tl-gap-key" /> waiting to retry
      </p>
    </div>
  );
}
