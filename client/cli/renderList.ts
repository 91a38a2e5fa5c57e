import type { WorkflowPage } from '../../shared/status.ts';
import { padEnd, paint, stateColor, stateGlyph, truncate, type Style } from './ansi.ts';
import { elapsedMs, formatDuration } from './formatDuration.ts';

/** `2025-01-31 14:05:09` in UTC: sortable, and the same on every machine. */
function shortTime(iso: string): string {
  return iso.replace('T', ' ').replace(/\.\d+Z?$|Z$/, '');
}

/**
 * The `list` table: id, name, status, created (UTC), duration; then how to get
 * the next page. Pure: same page and clock, same lines.
 */
export function renderList(page: WorkflowPage, now: number, style: Style): string[] {
  if (page.items.length === 0) return ['no workflows'];
  const idWidth = Math.max(2, ...page.items.map((w) => w.id.length));
  const nameWidth = Math.min(32, Math.max(4, ...page.items.map((w) => w.name.length)));
  const lines = [
    ['ID'.padEnd(idWidth), 'NAME'.padEnd(nameWidth), 'STATUS'.padEnd(12), 'CREATED (UTC)'.padEnd(19), 'DURATION'].join('  '),
  ];
  for (const w of page.items) {
    const took = elapsedMs(w.started_at, w.finished_at, now);
    lines.push(
      [
        w.id.padEnd(idWidth),
        truncate(w.name, nameWidth).padEnd(nameWidth),
        padEnd(paint(style, stateColor(w.status), `${stateGlyph(w.status)} ${w.status}`), 12),
        shortTime(w.created_at).padEnd(19),
        took === undefined ? '-' : formatDuration(took),
      ].join('  '),
    );
  }
  if (page.next_cursor) lines.push('', `more: npm run cli -- list --cursor ${page.next_cursor}`);
  return lines;
}
