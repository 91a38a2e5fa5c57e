/**
 * A short human duration: `0.4s`, `12.0s`, `3m05s`, `2h01m`.
 * Negative or non-finite input (clock skew, missing times) renders as `-`.
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '-';
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const totalSeconds = Math.floor(ms / 1000);
  if (totalSeconds < 3600) {
    const m = Math.floor(totalSeconds / 60);
    return `${m}m${String(totalSeconds % 60).padStart(2, '0')}s`;
  }
  const h = Math.floor(totalSeconds / 3600);
  return `${h}h${String(Math.floor((totalSeconds % 3600) / 60)).padStart(2, '0')}m`;
}

/**
 * Time between two ISO timestamps, or from `start` to `now` while the thing is
 * still going. Undefined when it has not started.
 */
export function elapsedMs(start: string | null, end: string | null, now: number): number | undefined {
  if (start === null) return undefined;
  const from = Date.parse(start);
  const to = end === null ? now : Date.parse(end);
  if (Number.isNaN(from) || Number.isNaN(to)) return undefined;
  return Math.max(0, to - from);
}
