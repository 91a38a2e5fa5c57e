import { useEffect, useState } from 'preact/hooks';

/** `Date.now()`, refreshed every `ms` while `active` (running durations tick; finished ones do not). */
export function useNow(ms: number, active = true): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms, active]);
  return now;
}
