import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { isTerminal, type WorkflowState, type WorkflowStatus } from '../../index.ts';
import { useApi } from '../app/ApiContext.ts';
import { errorCode } from '../app/errorCode.ts';
import { mergeWorkflows } from './mergeWorkflows.ts';

/** Workflows per page (one `list` call). */
export const PAGE_SIZE = 50;
/** How often the newest page and the loaded unfinished workflows are fetched again. */
export const LIVE_POLL_MS = 1000;
/** Unfinished workflows beyond the newest page refreshed per tick (the rest on later ticks). */
const REFRESH_PER_TICK = 50;
/** Pages one "load more" may read while looking for workflows that match a name filter. */
const MAX_PAGES_PER_SEARCH = 20;

/** The loaded part of the store, newest first, kept live. */
export interface WorkflowListState {
  items: WorkflowStatus[];
  /** More to load (`next_cursor` of the last page read). */
  hasMore: boolean;
  loading: boolean;
  error?: unknown;
  /** Reads pages until `wanted` more workflows match `matches` (or MAX_PAGES_PER_SEARCH pages were read). */
  loadMore(matches?: (w: WorkflowStatus) => boolean, wanted?: number): Promise<void>;
}

/**
 * The workflow list, live without a stream per row (a browser holds only six
 * connections per server): every second, one `list` call reads the newest
 * page (new workflows, changes at the top) and one batched call `get`s the
 * loaded workflows that are still unfinished. Paused while the tab is hidden.
 * "Load more" follows the cursor: the store is never read whole.
 */
export function useWorkflowList(status: WorkflowState | undefined): WorkflowListState {
  const { client, onUnauthorized } = useApi();
  const [items, setItems] = useState<WorkflowStatus[]>([]);
  const [cursor, setCursor] = useState<string | null | undefined>(undefined);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>();
  const itemsRef = useRef(items);
  itemsRef.current = items;
  const cursorRef = useRef(cursor);
  cursorRef.current = cursor;
  const refreshFrom = useRef(0);

  const fail = useCallback(
    (e: unknown) => {
      if (errorCode(e) === 'UNAUTHORIZED') onUnauthorized();
      setError(e);
    },
    [onUnauthorized],
  );

  // First page, and again whenever the filter changes.
  useEffect(() => {
    let live = true;
    setItems([]);
    setCursor(undefined);
    setLoading(true);
    setError(undefined);
    client.list({ limit: PAGE_SIZE, status }).then(
      (page) => {
        if (!live) return;
        setItems(page.items);
        setCursor(page.next_cursor);
        setLoading(false);
      },
      (e: unknown) => live && (fail(e), setLoading(false)),
    );
    return () => {
      live = false;
    };
  }, [client, status, fail]);

  // Live: the newest page and the unfinished loaded ones, every second.
  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      if (!document.hidden && cursorRef.current !== undefined) {
        try {
          const head = await client.list({ limit: PAGE_SIZE, status });
          const inHead = new Set(head.items.map((w) => w.id));
          const stale = itemsRef.current.filter((w) => !inHead.has(w.id) && !isTerminal(w.status));
          // Round-robin through a long tail of unfinished workflows, a bounded batch at a time.
          const from = refreshFrom.current % Math.max(1, stale.length);
          const batch = stale.slice(from, from + REFRESH_PER_TICK);
          refreshFrom.current = from + batch.length;
          const removed = new Set<string>();
          const fetched = await Promise.all(
            batch.map((w) =>
              client.get(w.id).catch((e: unknown) => {
                // Expired (retention) since it was listed: it leaves the list.
                if (errorCode(e) === 'NOT_FOUND') removed.add(w.id);
                else throw e;
                return undefined;
              }),
            ),
          );
          const fresh = [...head.items, ...fetched.filter((w): w is WorkflowStatus => w !== undefined)];
          if (live) {
            setItems((current) => mergeWorkflows(current, fresh, removed));
            setError(undefined);
          }
        } catch (e) {
          if (live) fail(e);
        }
      }
      if (live) timer = setTimeout(tick, LIVE_POLL_MS);
    };
    timer = setTimeout(tick, LIVE_POLL_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [client, status, fail]);

  const loadMore = useCallback(
    async (matches: (w: WorkflowStatus) => boolean = () => true, wanted = PAGE_SIZE) => {
      let next = cursorRef.current;
      if (!next) return;
      setLoading(true);
      try {
        let found = 0;
        for (let pages = 0; next && found < wanted && pages < MAX_PAGES_PER_SEARCH; pages++) {
          const page = await client.list({ limit: PAGE_SIZE, status, cursor: next });
          found += page.items.filter(matches).length;
          next = page.next_cursor;
          setItems((current) => mergeWorkflows(current, page.items));
          setCursor(next);
        }
      } catch (e) {
        fail(e);
      } finally {
        setLoading(false);
      }
    },
    [client, status, fail],
  );

  return { items, hasMore: Boolean(cursor), loading, error, loadMore };
}
