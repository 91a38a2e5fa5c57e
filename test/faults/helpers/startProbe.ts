import { sleep } from './async.ts';
import { request } from './request.ts';

/** What {@link startProbe} recorded for one kind of request while a fault lasted. */
export interface ProbeTally {
  /** Answers by HTTP status (0 = no answer within the timeout). */
  statuses: Map<number, number>;
  /** The longest one request took. */
  slowestMs: number;
  /** Answers 200 with a workflow still running (so served from the engine's memory). */
  liveAnswers: number;
  /**
   * Requests sent and answered while the fault was on; of those, 200 answers,
   * and 200 answers with a running workflow. (During a Redis stall such a 200
   * can only have come from the engine's memory.)
   */
  duringFault: { sent: number; ok: number; live: number };
  /** Every 503: which path, and when the request was sent (epoch ms). */
  unavailable: Array<{ path: string; sentAt: number }>;
}

/** A running probe: set `faulting` while the fault is on; `stop()` ends it and hands back the tallies. */
export interface Probe {
  faulting: boolean;
  stop(): Promise<Record<string, ProbeTally>>;
}

/**
 * Requests the paths of each kind back to back until stopped, each request
 * with a `timeoutMs` cap, recording status codes and latencies: the evidence
 * that the server answers while Redis misbehaves. Each kind has its own loops
 * (up to 4, each cycling through its share of the paths), so one slow answer
 * holds up neither another kind nor the rest of its own.
 */
export function startProbe(base: string, kinds: Record<string, string[]>, timeoutMs = 5000): Probe {
  const tallies: Record<string, ProbeTally> = {};
  let running = true;
  let loops: Promise<void>[] = [];
  const probe: Probe = {
    faulting: false,
    async stop() {
      running = false;
      await Promise.all(loops);
      return tallies;
    },
  };
  const loop = async (tally: ProbeTally, paths: string[]) => {
    for (let i = 0; running && paths.length > 0; i++) {
      const sentDuring = probe.faulting;
      const sentAt = Date.now();
      const path = paths[i % paths.length];
      const reply = await request<{ status?: string }>(base + path, { timeoutMs });
      if (reply.status === 503) tally.unavailable.push({ path, sentAt });
      const during = sentDuring && probe.faulting;
      const live = reply.status === 200 && reply.body?.status === 'running';
      tally.statuses.set(reply.status, (tally.statuses.get(reply.status) ?? 0) + 1);
      tally.slowestMs = Math.max(tally.slowestMs, reply.ms);
      if (live) tally.liveAnswers++;
      if (during) {
        tally.duringFault.sent++;
        if (reply.status === 200) tally.duringFault.ok++;
        if (live) tally.duringFault.live++;
      }
      await sleep(20);
    }
  };
  loops = Object.entries(kinds).flatMap(([kind, paths]) => {
    const tally: ProbeTally = (tallies[kind] = { statuses: new Map(), slowestMs: 0, liveAnswers: 0, duringFault: { sent: 0, ok: 0, live: 0 }, unavailable: [] });
    const workers = Math.min(4, paths.length);
    return Array.from({ length: workers }, (_, w) => loop(tally, paths.filter((_, i) => i % workers === w)));
  });
  return probe;
}

/** `{200: 5, 503: 2}`-style text of a status tally, for reports. */
export function formatTally(statuses: Map<number, number>): string {
  return [...statuses].sort((a, b) => a[0] - b[0]).map(([k, v]) => `${k}:${v}`).join(' ');
}
