import { hasTaskEnded, isTerminal, type WorkflowStatus } from '../../shared/status.ts';
import { paint, stateColor, stateGlyph, truncate, type Color, type Style } from './ansi.ts';
import { elapsedMs, formatDuration } from './formatDuration.ts';
import { summarizeStates, taskRows, type TaskRow } from './taskRows.ts';

/** Where the view is drawn: its size bounds what is shown, so a redraw never wraps or scrolls. */
export interface ViewSize {
  columns: number;
  rows: number;
}

interface Cell {
  text: string;
  color?: Color;
}

const LABEL_MAX = 32;
/** Two header lines, column titles, and the two "… more" lines a long workflow needs. */
const CHROME_ROWS = 5;

/** Joins cells, cutting the line at `columns` visible characters so it never wraps. */
function renderCells(cells: Cell[], columns: number, style: Style): string {
  let out = '';
  let width = 0;
  for (const cell of cells) {
    if (width >= columns) break;
    const text = truncate(cell.text, columns - width);
    width += text.length;
    out += cell.color ? paint(style, cell.color, text) : text;
  }
  return out.trimEnd();
}

function rowCells(row: TaskRow, labelWidth: number, now: number): Cell[] {
  const { task } = row;
  const elapsed = elapsedMs(task.started_at, task.finished_at, now);
  const notes: string[] = [];
  if (task.optional) notes.push('optional');
  if (task.status === 'retrying' && task.next_attempt_at) {
    const wait = Date.parse(task.next_attempt_at) - now;
    if (wait >= 0) notes.push(`retry in ${formatDuration(wait)}`);
  }
  if (task.error) notes.push(task.error.replace(/\s+/g, ' '));
  const note = notes.join(' · ');
  return [
    { text: '  ' + row.step.padEnd(6) },
    { text: truncate(row.label, labelWidth).padEnd(labelWidth + 2) },
    { text: `${stateGlyph(task.status)} ${task.status}`.padEnd(12), color: stateColor(task.status) },
    { text: (task.attempts > 0 ? String(task.attempts) : '-').padStart(7) },
    { text: (elapsed === undefined ? '-' : formatDuration(elapsed)).padStart(9) },
    { text: note ? '  ' + note : '', color: task.error ? 'red' : 'gray' },
  ];
}

/** Which rows fit: everything, or a window around the first unfinished task. */
function visibleWindow(rows: TaskRow[], budget: number): [number, number] {
  if (rows.length <= budget) return [0, rows.length];
  const active = rows.findIndex((r) => !hasTaskEnded(r.task.status));
  const focus = active === -1 ? rows.length - 1 : active;
  const start = Math.max(0, Math.min(focus - 2, rows.length - budget));
  return [start, start + budget];
}

/**
 * The terminal progress view of a workflow: a header with its state and
 * elapsed time, then one row per task (step, task, status, attempt, elapsed,
 * error or note). Pure: the same status, clock and size give the same lines.
 */
export function renderProgress(status: WorkflowStatus, now: number, size: ViewSize, style: Style): string[] {
  const rows = taskRows(status);
  const columns = Math.max(20, size.columns);
  const labelWidth = Math.min(LABEL_MAX, Math.max(4, ...rows.map((r) => r.label.length)));
  const elapsed = elapsedMs(status.started_at ?? status.created_at, status.finished_at, now);

  const lines = [
    renderCells(
      [
        { text: status.name, color: 'bold' },
        { text: '  ' },
        { text: `${stateGlyph(status.status)} ${status.status}`, color: stateColor(status.status) },
        { text: `  ${elapsed === undefined ? '' : formatDuration(elapsed) + '  ·  '}${summarizeStates(rows.map((r) => r.task))}` },
      ],
      columns,
      style,
    ),
    renderCells([{ text: `id ${status.id}`, color: 'gray' }], columns, style),
    renderCells(
      [{ text: '  STEP  ' + 'TASK'.padEnd(labelWidth + 2) + 'STATUS'.padEnd(12) + 'ATTEMPT'.padStart(7) + 'ELAPSED'.padStart(9) }],
      columns,
      { color: false },
    ),
  ];

  const footer = footerOf(status).map((cell) => renderCells([cell], columns, style));
  const budget = Math.max(1, size.rows - CHROME_ROWS - footer.length - 1);
  const [start, end] = visibleWindow(rows, budget);
  if (start > 0) lines.push(renderCells([{ text: `  … ${summarizeStates(rows.slice(0, start).map((r) => r.task))} above`, color: 'gray' }], columns, style));
  for (const row of rows.slice(start, end)) lines.push(renderCells(rowCells(row, labelWidth, now), columns, style));
  if (end < rows.length) lines.push(renderCells([{ text: `  … ${summarizeStates(rows.slice(end).map((r) => r.task))} below`, color: 'gray' }], columns, style));
  return [...lines, ...footer];
}

/** The line under an ended workflow: why it failed, or that it was cancelled (by a person: not an error). */
function footerOf(status: WorkflowStatus): { text: string; color: 'red' | 'yellow' }[] {
  if (status.status === 'cancelled') return [{ text: `workflow "${status.name}" was cancelled`, color: 'yellow' }];
  if (isTerminal(status.status) && status.error) return [{ text: `error: ${status.error}`, color: 'red' }];
  return [];
}
