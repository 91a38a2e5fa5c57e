import type { WorkflowState, WorkflowStatus } from '../../index.ts';
import { StatusBadge } from '../ui/StatusBadge.tsx';

const ORDER: WorkflowState[] = ['running', 'pending', 'failed', 'succeeded', 'cancelled'];

/**
 * Counts per state of the workflows loaded so far (the server keeps no
 * counters to ask; with more pages to load, the label says these are partial).
 */
export function StatusCounts({ items, hasMore, status }: { items: readonly WorkflowStatus[]; hasMore: boolean; status?: WorkflowState }) {
  const counts = new Map<WorkflowState, number>();
  for (const w of items) counts.set(w.status, (counts.get(w.status) ?? 0) + 1);
  return (
    <div class="counts" aria-label="Counts per state">
      <span class="muted">
        {hasMore ? `Newest ${items.length} loaded` : `All ${items.length}`}
        {status ? ` ${status}` : ''}:
      </span>
      {ORDER.filter((s) => counts.has(s)).map((s) => (
        <span key={s} class="count">
          <StatusBadge state={s} compact /> <b>{counts.get(s)}</b>
        </span>
      ))}
    </div>
  );
}
