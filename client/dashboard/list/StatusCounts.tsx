import { useState } from 'preact/hooks';
import type { WorkflowState, WorkflowStatus } from '../../index.ts';
import { useApi } from '../app/ApiContext.ts';
import { usePoll } from '../app/usePoll.ts';
import { StatusBadge } from '../ui/StatusBadge.tsx';

/** The order states are shown in (the keys' order); a Record, so no state of the vocabulary can be left out. */
const ORDER = Object.keys({ running: 1, pending: 1, failed: 1, succeeded: 1, cancelled: 1 } satisfies Record<WorkflowState, 1>) as WorkflowState[];
/** How often the store's counts are read again (the list itself refreshes every second too). */
const COUNTS_POLL_MS = 1000;

/**
 * Counts per state of every workflow in the store (`workflow.counts`, read
 * every second). Until the first answer, or from a server without that
 * query, the workflows loaded so far are counted, and the label says so.
 */
export function StatusCounts({ items, hasMore, status }: { items: readonly WorkflowStatus[]; hasMore: boolean; status?: WorkflowState }) {
  const stored = useStoredCounts();
  const counts = new Map<WorkflowState, number>();
  if (stored) for (const s of ORDER) counts.set(s, stored[s] ?? 0);
  else for (const w of items) counts.set(w.status, (counts.get(w.status) ?? 0) + 1);
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  return (
    <div class="counts" aria-label="Counts per state">
      <span class="muted">
        {stored ? `All ${total} stored` : hasMore ? `Newest ${items.length} loaded` : `All ${items.length}`}
        {!stored && status ? ` ${status}` : ''}:
      </span>
      {ORDER.filter((s) => counts.get(s)).map((s) => (
        <span key={s} class="count">
          <StatusBadge state={s} compact /> <b>{counts.get(s)}</b>
        </span>
      ))}
    </div>
  );
}

/** The store's counts per state, kept fresh; undefined until (or unless) the server answers. */
function useStoredCounts(): Record<WorkflowState, number> | undefined {
  const { client } = useApi();
  const [counts, setCounts] = useState<Record<WorkflowState, number>>();
  usePoll(
    async (live) => {
      try {
        const next = await client.counts();
        if (live()) setCounts(next);
      } catch {
        // An older server, or a passing error: the loaded rows are counted meanwhile.
      }
    },
    COUNTS_POLL_MS,
    [client],
  );
  return counts;
}
