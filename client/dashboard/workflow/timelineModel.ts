import type { TaskState, WorkflowStatus } from '../../index.ts';

/** One attempt of a task on the time axis (ms since the epoch). */
export interface AttemptBar {
  attempt: number;
  start: number;
  end: number;
  /** How it ended, or `running` if it has not. */
  outcome: TaskState;
  /** Still going: `end` is "now". */
  open: boolean;
  /** Why it failed, from the history. */
  error?: string;
}

/** A task's row: its attempts, and the waits between them (retry backoff). */
export interface TimelineRow {
  step: number;
  taskId: string;
  bars: AttemptBar[];
  /** Backoff gaps: from an attempt's failure to the next attempt's start (or the announced next start). */
  gaps: { start: number; end: number }[];
}

/** The whole picture: rows and the axis they share. */
export interface Timeline {
  rows: TimelineRow[];
  start: number;
  end: number;
}

/** One entry of the workflow's event history, as far as the timeline reads it. */
export interface TimelineEvent {
  at: string;
  type: string;
  step?: number;
  task?: string;
  attempt?: number;
  error?: string;
  next_attempt_at?: string;
}

const ENDS: Record<string, TaskState> = {
  'task.succeeded': 'succeeded',
  'task.failed': 'failed',
  'task.retrying': 'retrying',
  'task.cancelled': 'cancelled',
};

/**
 * Builds the timeline. With the event history, one bar per attempt (each
 * `task.started` to the event that ended it) and a gap per backoff. Without
 * it, one bar per task from its first start to its end: the status document
 * keeps only those two times (and `next_attempt_at` while it waits).
 */
export function buildTimeline(status: WorkflowStatus, now: number, events?: readonly TimelineEvent[]): Timeline {
  const start = Date.parse(status.started_at ?? status.created_at);
  const end = status.finished_at ? Date.parse(status.finished_at) : now;
  const rows: TimelineRow[] = [];
  const byTask = new Map<string, TimelineRow>();
  status.steps.forEach((step) =>
    step.tasks.forEach((task) => {
      const row: TimelineRow = { step: step.index, taskId: task.id, bars: [], gaps: [] };
      rows.push(row);
      byTask.set(task.id, row);
      if (events || task.started_at === null) return;
      const open = task.finished_at === null && task.status === 'running';
      const barEnd = task.finished_at ? Date.parse(task.finished_at) : now;
      row.bars.push({ attempt: task.attempts, start: Date.parse(task.started_at), end: barEnd, outcome: open ? 'running' : task.status, open });
      if (task.status === 'retrying' && task.next_attempt_at) row.gaps.push({ start: now, end: Date.parse(task.next_attempt_at) });
    }),
  );
  if (events) {
    for (const e of events) {
      const row = e.task === undefined ? undefined : byTask.get(e.task);
      if (!row) continue;
      const at = Date.parse(e.at);
      const last = row.bars[row.bars.length - 1];
      if (e.type === 'task.started') {
        // The backoff before this attempt (one gap per retry so far) ends when it starts.
        if (row.gaps.length === row.bars.length && row.gaps.length > 0) row.gaps[row.gaps.length - 1].end = at;
        row.bars.push({ attempt: e.attempt ?? row.bars.length + 1, start: at, end: now, outcome: 'running', open: true });
      } else if (e.type in ENDS && last?.open) {
        last.end = at;
        last.open = false;
        last.outcome = ENDS[e.type] === 'retrying' ? 'failed' : ENDS[e.type];
        if (e.error) last.error = e.error;
        if (e.type === 'task.retrying') row.gaps.push({ start: at, end: e.next_attempt_at ? Date.parse(e.next_attempt_at) : Number.POSITIVE_INFINITY });
      }
    }
    for (const row of rows) {
      for (const gap of row.gaps) if (gap.end === Number.POSITIVE_INFINITY) gap.end = end;
      // A workflow that ended (cancelled, failed elsewhere) ended its open attempts with it.
      for (const bar of row.bars) if (bar.open && status.finished_at) (bar.end = end), (bar.open = false), (bar.outcome = 'cancelled');
    }
  }
  let axisEnd = end;
  for (const row of rows) for (const g of row.gaps) axisEnd = Math.max(axisEnd, g.end);
  return { rows, start, end: Math.max(axisEnd, start + 1) };
}
