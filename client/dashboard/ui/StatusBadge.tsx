import type { TaskState, WorkflowState } from '../../index.ts';

/** Every state a badge can show: workflow, step and task states together. */
export type AnyState = WorkflowState | TaskState;

/** A glyph per state, so the state reads without colour too (with the word beside it). */
const GLYPH: Record<AnyState, string> = {
  pending: '○',
  running: '◐',
  retrying: '↻',
  succeeded: '✓',
  failed: '✕',
  cancelled: '⊘',
  skipped: '–',
};

/** The state as a colour, a glyph and the word: never colour alone. */
export function StatusBadge({ state, compact = false }: { state: AnyState; compact?: boolean }) {
  return (
    <span class={`badge s-${state}${compact ? ' compact' : ''}`}>
      <span aria-hidden="true">{GLYPH[state]}</span> {state}
    </span>
  );
}

/** The glyph alone, for dense views that give the word in a label. */
export function stateGlyph(state: AnyState): string {
  return GLYPH[state];
}
