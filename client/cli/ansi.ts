import type { TaskState, WorkflowState } from '../../shared/status.ts';

/** How output is styled: colours only on a terminal that has not asked for none. */
export interface Style {
  color: boolean;
}

const CODES = { red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, gray: 90, bold: 1 } as const;

/** A colour name the renderers use. */
export type Color = keyof typeof CODES;

/** Wraps `text` in an SGR colour when the style allows it. */
export function paint(style: Style, color: Color, text: string): string {
  return style.color ? `\x1b[${CODES[color]}m${text}\x1b[0m` : text;
}

/** Removes SGR sequences, so widths are measured on what the eye sees. */
export function stripAnsi(text: string): string {
  return text.replace(/\x1b\[[0-9;]*m/g, '');
}

/**
 * How each state looks: green done, red broken, yellow/cyan in motion, gray
 * not (yet) run; and one glyph each, so the view reads at a glance without colour.
 */
const STATE_LOOK: Record<TaskState | WorkflowState, { color: Color; glyph: string }> = {
  succeeded: { color: 'green', glyph: '✔' },
  failed: { color: 'red', glyph: '✖' },
  cancelled: { color: 'magenta', glyph: '⊘' },
  running: { color: 'cyan', glyph: '▶' },
  retrying: { color: 'yellow', glyph: '↻' },
  pending: { color: 'gray', glyph: '·' },
  skipped: { color: 'gray', glyph: '-' },
};

/** Colour of a state. */
export function stateColor(state: TaskState | WorkflowState): Color {
  return STATE_LOOK[state].color;
}

/** Glyph of a state. */
export function stateGlyph(state: TaskState | WorkflowState): string {
  return STATE_LOOK[state].glyph;
}

/** Pads to `width` visible characters (ANSI codes do not count). */
export function padEnd(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - stripAnsi(text).length));
}

/** Cuts a plain string to `width` characters, marking the cut with `…`. */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  return text.length <= width ? text : text.slice(0, Math.max(0, width - 1)) + '…';
}
