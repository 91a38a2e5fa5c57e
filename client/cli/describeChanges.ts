import { type TaskStatus, type WorkflowStatus, isTerminal } from '../../shared/status.ts';
import { elapsedMs, formatDuration } from './formatDuration.ts';
import { taskRows } from './taskRows.ts';

const LABEL_MAX = 32;

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function taskLine(step: string, label: string, labelWidth: number, task: TaskStatus, now: number): string {
  const parts = [`step ${step}`, label.padEnd(labelWidth), task.status.padEnd(9), `attempt ${task.attempts}`];
  if (task.finished_at !== null) {
    const took = elapsedMs(task.started_at, task.finished_at, now);
    if (took !== undefined) parts.push(formatDuration(took));
  }
  if (task.error && (task.status === 'failed' || task.status === 'retrying')) parts.push(oneLine(task.error));
  else if (task.status === 'failed' && task.optional) parts.push('(optional)');
  return parts.join('  ').trimEnd();
}

function workflowLine(status: WorkflowStatus, now: number): string {
  if (!isTerminal(status.status)) return `workflow ${status.status}`;
  const took = elapsedMs(status.started_at ?? status.created_at, status.finished_at, now);
  const line = `workflow ${status.status}${took === undefined ? '' : ` in ${formatDuration(took)}`}`;
  return status.error ? `${line}: ${oneLine(status.error)}` : line;
}

/**
 * The log lines for going from `prev` to `next` (the CLI's output when piped):
 * the workflow's own state change, then one line per task whose state or
 * attempt changed, and the terminal line last. With no `prev`, introduces the
 * workflow and reports every task that has already left `pending`.
 * Pure: `now` is only used for a finished thing that lacks a start time.
 */
export function describeChanges(prev: WorkflowStatus | undefined, next: WorkflowStatus, now: number): string[] {
  const lines: string[] = [];
  if (prev === undefined) lines.push(`workflow ${next.id} "${oneLine(next.name)}" ${next.status}`);
  else if (prev.status !== next.status && !isTerminal(next.status)) lines.push(workflowLine(next, now));

  const before = new Map(prev ? taskRows(prev).map((r) => [r.task.id, r.task]) : []);
  const rows = taskRows(next);
  const labelWidth = Math.min(LABEL_MAX, Math.max(...rows.map((r) => r.label.length)));
  for (const row of rows) {
    const old = before.get(row.task.id);
    const changed = old ? old.status !== row.task.status || old.attempts !== row.task.attempts : row.task.status !== 'pending';
    if (changed) lines.push(taskLine(row.step, row.label, labelWidth, row.task, now));
  }

  if (isTerminal(next.status) && (prev === undefined || !isTerminal(prev.status))) lines.push(workflowLine(next, now));
  return lines;
}
