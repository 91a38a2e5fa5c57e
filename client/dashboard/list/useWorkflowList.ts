import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { isTerminal, type WorkflowState, type WorkflowStatus } from '../../index.ts';
import { useApi } from '../app/ApiContext.ts';
import { errorCode } from '../app/errorCode.ts';
import { mergeWorkflows } from './mergeWorkflows.ts';
import { readPages } from './readPages.ts';

/** Workflows per page (one `list` call). */
export const PAGE_SIZE = 50;
/** How often the newest page and the loaded unfinished workflows are fetched again. */
export const LIVE_POLL_MS = 1000;
/** Unfinished workflows beyond the newest page refreshed per tick (the rest on later ticks). */
const REFRESH_PER_TICK = 50;
/**
 * Calls one load (the first page, or "load more") may make to fill a page. Under a
 * name filter each call examines a bounded number of workflows on the server
 * (about a thousand on Redis), so a rare name may need several; the rest wait
 * for the next "load more".
 */
const MAX_CALLS_PER_LOAD = 10;

/** The loaded part of the store, newest first, kept live. */
export interface WorkflowListState {
  items: WorkflowStatus[];
  /** More to load (`next_cursor` of the last page read). */
  hasMore: boolean;
  loading: boolean;
  error?: unknown;
  /** Reads the next page from the cursor (the server filters). */
  loadMore(): Promise<void>;
}

/**
 * The workflow list, filtered by the server (by `status` and by `name`: the
 * names containing it, ignoring case), live without a stream per row (a
 * browser holds only six connections per server): every second, one `list`
 * call with the same filters reads the newest page (new workflows, changes at
 * the top) and one batched call `get`s the loaded workflows that are still
 * unfinished. Paused while the tab is hidden. "Load more" follows the
 * cursor: the store is never read whole.
 */
export function useWorkflowList(status: WorkflowState | undefined, name: string | undefined): WorkflowListState {
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
  // Bumped whenever the filters change: a "load more" begun under older filters drops its answer.
  const generation = useRef(0);

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
    generation.current++;
    setItems([]);
    setCursor(undefined);
    setLoading(true);
    setError(undefined);
    readPages(client.list, { status, name }, PAGE_SIZE, MAX_CALLS_PER_LOAD).then(
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
  }, [client, status, name, fail]);

  // Live: the newest page and the unfinished loaded ones, every second.
  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      if (!document.hidden && cursorRef.current !== undefined) {
        try {
          const head = await client.list({ limit: PAGE_SIZE, status, name });
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
  }, [client, status, name, fail]);

  const loadMore = useCallback(async () => {
    const cursor = cursorRef.current;
    if (!cursor) return;
    const started = generation.current;
    setLoading(true);
    try {
      const page = await readPages(client.list, { status, name, cursor }, PAGE_SIZE, MAX_CALLS_PER_LOAD);
      if (started !== generation.current) return;
      setItems((current) => mergeWorkflows(current, page.items));
      setCursor(page.next_cursor);
    } catch (e) {
      if (started === generation.current) fail(e);
    } finally {
      if (started === generation.current) setLoading(false);
    }
  }, [client, status, name, fail]);

  return { items, hasMore: Boolean(cursor), loading, error, loadMore };
}
