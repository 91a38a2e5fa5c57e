import type { WorkflowPage, WorkflowState } from '../../shared/status.ts';
import { padEnd, paint, stateColor, stateGlyph, truncate, type Style } from './ansi.ts';
import { elapsedMs, formatDuration } from './formatDuration.ts';
import { shellQuote } from './shellQuote.ts';

/** The filters and page size a `list` ran with: the next-page command repeats them. */
export interface ListFilters {
  status?: WorkflowState;
  nameContains?: string;
  limit?: number;
}

/** `2025-01-31 14:05:09` in UTC: sortable, and the same on every machine. */
function shortTime(iso: string): string {
  return iso.replace('T', ' ').replace(/\.\d+Z?$|Z$/, '');
}

/**
 * The `list` table: id, name, status, created (UTC), duration; then how to get
 * the next page, with the same filters. A filtered page may be empty and still
 * have a next one (the server examines a bounded number of workflows per call).
 * Pure: same page and clock, same lines.
 */
export function renderList(page: WorkflowPage, now: number, style: Style, filters: ListFilters = {}): string[] {
  const more = page.next_cursor ? ['', `more: npm run cli -- ${nextPageArgs(page.next_cursor, filters)}`] : [];
  if (page.items.length === 0) return page.next_cursor ? ['none among the workflows searched so far', ...more] : ['no workflows'];
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
  lines.push(...more);
  return lines;
}

function nextPageArgs(cursor: string, { status, nameContains, limit }: ListFilters): string {
  const args = ['list'];
  if (status) args.push('--status', status);
  if (nameContains) args.push('--name', shellQuote(nameContains));
  if (limit !== undefined) args.push('--limit', String(limit));
  args.push('--cursor', shellQuote(cursor));
  return args.join(' ');
}
