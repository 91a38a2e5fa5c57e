import { useEffect } from 'preact/hooks';

/**
 * Calls `read` now and then every `intervalMs` after each call settles (never
 * two at once), until the component goes or `deps` change. `read` gets
 * `live()`: false once the poll has stopped, so a late answer is dropped.
 */
export function usePoll(read: (live: () => boolean) => Promise<void>, intervalMs: number, deps: readonly unknown[]): void {
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let live = true;
    const isLive = () => live;
    const tick = async () => {
      await read(isLive);
      if (live) timer = setTimeout(tick, intervalMs);
    };
    void tick();
    return () => {
      live = false;
      clearTimeout(timer);
    };
    // `read` changes every render; the caller names in `deps` what restarts the poll.
  }, deps);
}
