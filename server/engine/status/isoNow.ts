let lastMs = -1;
let lastIso = '';

/**
 * The current time as an ISO string. A workflow stamps several times per
 * millisecond under load (created, started, each task's start and end), so
 * the string of the current millisecond is reused rather than formatted again.
 */
export function isoNow(): string {
  const ms = Date.now();
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
}
