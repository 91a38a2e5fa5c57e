import { memo } from 'preact/compat';
import { hasTaskEnded, type WorkflowStatus } from '../../index.ts';
import { href } from '../app/useRoute.ts';
import { StatusBadge } from '../ui/StatusBadge.tsx';
import { elapsedMs, formatAgo, formatDuration } from '../ui/time.ts';

/** Tasks done (ended one way or another) and in all. */
function progress(w: WorkflowStatus): { done: number; total: number } {
  let done = 0;
  let total = 0;
  for (const step of w.steps) {
    total += step.tasks.length;
    for (const t of step.tasks) if (hasTaskEnded(t.status)) done++;
  }
  return { done, total };
}

/**
 * One workflow in the list: the whole row is one link (one Tab stop) to its
 * page. Memoised: a poll that changed nothing of it keeps the same object
 * (see mergeWorkflows), so the row does not render again.
 */
export const WorkflowRow = memo(function WorkflowRow({ workflow: w, now }: { workflow: WorkflowStatus; now: number }) {
  const { done, total } = progress(w);
  return (
    <a class="row" href={href({ view: 'workflow', id: w.id })} data-id={w.id} data-status={w.status}>
      <span class="row-status">
        <StatusBadge state={w.status} />
      </span>
      <span class="row-main">
        <span class="row-name">{w.name}</span>
        <span class="row-id mono">{w.id}</span>
        {w.error && <span class="row-error">{w.error}</span>}
      </span>
      <span class="row-meta">
        <span title={w.created_at}>{formatAgo(w.created_at, now)}</span>
        <span>{formatDuration(elapsedMs(w.started_at, w.finished_at, now) ?? Number.NaN)}</span>
        <span>
          <span class="bar" aria-hidden="true">
            <span style={{ width: `${total ? (done / total) * 100 : 0}%` }} />
          </span>{' '}
          {done}/{total}
          <span class="sr-only"> tasks done</span>
        </span>
      </span>
    </a>
  );
}, (a, b) => a.workflow === b.workflow && (a.now === b.now || (a.workflow.finished_at !== null && Math.abs(a.now - b.now) < 60_000)));
