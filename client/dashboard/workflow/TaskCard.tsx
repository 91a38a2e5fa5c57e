import type { TaskStatus } from '../../index.ts';
import { href } from '../app/useRoute.ts';
import { StatusBadge } from '../ui/StatusBadge.tsx';
import { elapsedMs, formatDuration, formatTime } from '../ui/time.ts';

/** Attempts allowed: the first, plus `retry_count` retries. */
export function maxAttempts(task: TaskStatus): number {
  const retries = task.params.retry_count;
  return 1 + (typeof retries === 'number' && retries > 0 ? retries : 0);
}

/** A task as a card: name, state (colour and word), attempts, duration, error; a link to its detail. */
export function TaskCard({ workflowId, task, now, selected }: { workflowId: string; task: TaskStatus; now: number; selected: boolean }) {
  const ms = elapsedMs(task.started_at, task.finished_at, now);
  return (
    <a
      class={`task-card s-${task.status}${selected ? ' selected' : ''}`}
      href={href({ view: 'workflow', id: workflowId, task: task.id })}
      aria-current={selected ? 'true' : undefined}
      data-task={task.id}
    >
      <span class="task-head">
        <span class="task-id mono">{task.id}</span>
        <StatusBadge state={task.status} />
      </span>
      {task.id !== task.name && (
        <span class="muted task-kind">
          runs <code>{task.name}</code>
        </span>
      )}
      <span class="task-facts">
        <span>
          attempt {task.attempts}/{maxAttempts(task)}
        </span>
        <span>{ms === undefined ? 'not started' : formatDuration(ms)}</span>
        {task.optional && <span class="tag">optional</span>}
      </span>
      {task.status === 'retrying' && task.next_attempt_at && <span class="muted">next attempt at {formatTime(task.next_attempt_at)}</span>}
      {task.error && <span class="task-error">{task.error}</span>}
    </a>
  );
}
