// Backpressure for creates: refused with 503 while the event loop is stalled past a bound.
import { FlowstateError } from '../errors.ts';
import type { Logger } from '../logger.ts';

/**
 * How often the heartbeat marks that the event loop turned. A request that
 * sees the last beat older than this has been waiting behind other work for
 * the difference (a stall: a burst of requests read in one go, a long GC,
 * CPU-bound task code, a descheduled process).
 */
const HEARTBEAT_MS = 25;
// A refusal storm writes one warning a second, not one per request.
const LOG_EVERY_MS = 1000;

/** What /health shows of the guard. */
export interface OverloadStats {
  /** How long the event loop has been held past its heartbeat right now (0 when it turns freely). */
  stalled_ms: number;
  /** Creates refused with 503 since the process started. */
  refused_creates: number;
}

/** Refuses creates while the process is too far behind to answer them in time. */
export interface OverloadGuard {
  /** Throws UNAVAILABLE (503, Retry-After) when the event loop has been stalled past the bound; nothing has been read or stored yet. */
  admitCreate(): void;
  stats(): OverloadStats;
  /** Stops the heartbeat. */
  close(): void;
}

/**
 * Backpressure for creates. A process past what it can take does not see it
 * in any queue of its own: while CPU-bound task code, a long GC pause or more
 * requests at once than it can answer hold the event loop, new requests wait
 * in the kernel's socket buffers, then each waits for every one read before it.
 * A create that finds the event loop stalled for more than `maxStallMs` is
 * refused at once with 503 and `Retry-After: 1`, before its body is parsed
 * or anything is stored: a refusal costs a fraction of a create, so the
 * backlog drains and the answers stay within about `maxStallMs`. Reads and
 * cancels are never refused. `maxStallMs` 0 turns the guard off.
 */
export function createOverloadGuard(maxStallMs: number, logger: Logger): OverloadGuard {
  let beat = performance.now();
  // How late the last beat came. Requests on new connections are read one turn after their
  // accept, past the beat that ends a stall: they waited through it all the same.
  let lateMs = 0;
  const heartbeat = () => {
    const now = performance.now();
    lateMs = now - beat - HEARTBEAT_MS;
    beat = now;
  };
  // unref: the heartbeat alone must not keep a process alive. It runs with refusing off too, for /health.
  const timer = setInterval(heartbeat, HEARTBEAT_MS).unref();
  let refused = 0;
  let refusedSinceLog = 0;
  let loggedAt = -Infinity;

  // The stall going on now, or the one the last beat saw end (until a beat comes on time).
  const stalledMs = () => Math.max(0, performance.now() - beat - HEARTBEAT_MS, lateMs);

  return {
    admitCreate() {
      if (maxStallMs === 0) return;
      const stalled = stalledMs();
      if (stalled <= maxStallMs) return;
      refused++;
      refusedSinceLog++;
      const now = performance.now();
      if (now - loggedAt >= LOG_EVERY_MS) {
        logger.warn('refusing creates: the event loop is stalled', { stalled_ms: Math.round(stalled), refused: refusedSinceLog, bound_ms: maxStallMs });
        loggedAt = now;
        refusedSinceLog = 0;
      }
      throw new FlowstateError('UNAVAILABLE', `the server is overloaded (its event loop has been busy for ${Math.round(stalled)} ms); nothing was stored: try again in a second`);
    },
    stats: () => ({ stalled_ms: Math.round(stalledMs()), refused_creates: refused }),
    close() {
      clearInterval(timer);
    },
  };
}
