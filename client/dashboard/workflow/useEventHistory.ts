import { useEffect, useRef, useState } from 'preact/hooks';
import { isTerminal, type WorkflowEvent, type WorkflowStatus } from '../../index.ts';
import { useApi } from '../app/ApiContext.ts';
import { errorCode } from '../app/errorCode.ts';

/** Events per call (the server's maximum page). */
const PAGE = 1000;

/** The workflow's event history, oldest first, as far as it has been read. */
export interface EventHistory {
  events: WorkflowEvent[];
  /** The first read has finished (the history may still be empty). */
  loaded: boolean;
  error?: unknown;
}

/**
 * Reads workflow `id`'s history (`workflow.events`, page by page), then reads
 * what is new each time its status changes: the status arrives live (watch
 * or polling), and every change of a workflow appends events. One read at a
 * time; changes during a read trigger one more after it.
 */
export function useEventHistory(id: string, status: WorkflowStatus | undefined): EventHistory {
  const { client, onUnauthorized } = useApi();
  const [history, setHistory] = useState<EventHistory>({ events: [], loaded: false });
  const state = useRef({ after: 0, reading: false, again: false, live: true });

  const read = async () => {
    const s = state.current;
    if (s.reading) {
      s.again = true;
      return;
    }
    s.reading = true;
    try {
      do {
        s.again = false;
        const fresh: WorkflowEvent[] = [];
        for (;;) {
          const page = await client.events(id, { after: s.after, limit: PAGE });
          if (!s.live) return;
          fresh.push(...page.items);
          if (page.items.length) s.after = page.items[page.items.length - 1].id;
          if (page.next_cursor === null || page.items.length === 0) break;
        }
        setHistory((h) => ({ events: fresh.length ? [...h.events, ...fresh] : h.events, loaded: true }));
      } while (s.again && s.live);
    } catch (e) {
      if (errorCode(e) === 'UNAUTHORIZED') onUnauthorized();
      if (s.live) setHistory((h) => ({ ...h, loaded: true, error: e }));
    } finally {
      s.reading = false;
    }
  };

  useEffect(() => {
    state.current = { after: 0, reading: false, again: false, live: true };
    setHistory({ events: [], loaded: false });
    return () => {
      state.current.live = false;
    };
  }, [client, id]);

  // Every new status (and the last, terminal one) may come with new events.
  const terminal = status !== undefined && isTerminal(status.status);
  useEffect(() => {
    if (!status) return;
    void read();
    // The last events of an ended workflow may be stored just after its final status is sent.
    if (!terminal) return;
    const timer = setTimeout(() => void read(), 1000);
    return () => clearTimeout(timer);
  }, [status, terminal]);

  return history;
}
