import type { WorkflowStatus } from '../../index.ts';

/**
 * What a row shows of a workflow, as one string: two statuses with the same
 * fingerprint render the same, so the old object is kept and its row skips
 * re-rendering. O(tasks), far cheaper than comparing JSON.
 */
export function fingerprint(w: WorkflowStatus): string {
  let done = 0;
  let attempts = 0;
  let active = 0;
  for (const step of w.steps) {
    for (const t of step.tasks) {
      attempts += t.attempts;
      if (t.status === 'running' || t.status === 'retrying') active++;
      else if (t.status !== 'pending') done++;
    }
  }
  return `${w.status}|${w.started_at}|${w.finished_at}|${w.error}|${done}|${active}|${attempts}`;
}

/** Newest first by creation time (the list's order); ties keep their current order. */
function newerFirst(a: WorkflowStatus, b: WorkflowStatus): number {
  return a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : 0;
}

/**
 * Folds fresh statuses (the newest page, or single workflows fetched again)
 * into the loaded list: known ones are replaced (kept as the same object when
 * nothing a row shows changed), unknown ones are inserted in creation order.
 * Returns `loaded` itself when nothing changed, so no render happens.
 */
export function mergeWorkflows(loaded: readonly WorkflowStatus[], fresh: readonly WorkflowStatus[], removed: ReadonlySet<string> = new Set()): WorkflowStatus[] {
  const byId = new Map(fresh.map((w) => [w.id, w]));
  let changed = removed.size > 0;
  const kept: WorkflowStatus[] = [];
  for (const old of loaded) {
    if (removed.has(old.id)) continue;
    const next = byId.get(old.id);
    byId.delete(old.id);
    if (next && fingerprint(next) !== fingerprint(old)) {
      kept.push(next);
      changed = true;
    } else kept.push(old);
  }
  if (byId.size === 0) return changed ? kept : (loaded as WorkflowStatus[]);
  const added = [...byId.values()].sort(newerFirst);
  // Both lists are newest first: merge them in one pass.
  const out: WorkflowStatus[] = [];
  let i = 0;
  let j = 0;
  while (i < kept.length || j < added.length) {
    if (j >= added.length || (i < kept.length && newerFirst(kept[i], added[j]) <= 0)) out.push(kept[i++]);
    else out.push(added[j++]);
  }
  return out;
}
