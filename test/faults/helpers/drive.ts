import type { WorkflowDefinition } from '../../../shared/definition.ts';
import { isTerminal, type WorkflowStatus } from '../../../shared/status.ts';

/** One HTTP answer as the fault tests see it: status 0 means no answer (connection refused, reset or timed out). */
export interface Reply<T = unknown> {
  status: number;
  body: T;
  /** Response headers (empty when there was no answer). */
  headers: Headers;
  /** How long the request took. */
  ms: number;
}

/** GET/POST with a hard timeout, never throwing: a fault test must see hangs and resets as data. */
export async function request<T = unknown>(url: string, init: { method?: string; json?: unknown; timeoutMs?: number } = {}): Promise<Reply<T>> {
  const started = Date.now();
  try {
    const res = await fetch(url, {
      method: init.method ?? 'GET',
      headers: init.json === undefined ? {} : { 'content-type': 'application/json' },
      body: init.json === undefined ? undefined : JSON.stringify(init.json),
      signal: AbortSignal.timeout(init.timeoutMs ?? 10_000),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // keep the text
    }
    return { status: res.status, body: body as T, headers: res.headers, ms: Date.now() - started };
  } catch {
    return { status: 0, body: undefined as T, headers: new Headers(), ms: Date.now() - started };
  }
}

/** Creates every definition (up to `concurrency` requests at once); returns ids in order. Throws on anything but 202. */
export async function createAll(base: string, definitions: WorkflowDefinition[], concurrency = 16): Promise<string[]> {
  const ids: string[] = new Array(definitions.length);
  let next = 0;
  const worker = async () => {
    while (next < definitions.length) {
      const i = next++;
      const reply = await request<{ workflow_id: string }>(`${base}/api/workflow`, { method: 'POST', json: definitions[i] });
      if (reply.status !== 202) throw new Error(`create #${i} answered ${reply.status}: ${JSON.stringify(reply.body)}`);
      ids[i] = reply.body.workflow_id;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, definitions.length) }, worker));
  return ids;
}

/** What {@link waitAllEnded} saw on the way: every non-200 answer counts. */
export interface WaitReport {
  finals: Map<string, WorkflowStatus>;
  /** Answers by HTTP status (0 = no answer). */
  statuses: Map<number, number>;
  slowestMs: number;
}

/**
 * Polls `GET /api/workflow/:id` for every id (a few at a time) until each is
 * terminal, tolerating 503 and no-answer while a fault lasts (they are
 * counted, for the test to judge). Throws when `timeoutMs` passes.
 */
export async function waitAllEnded(base: string, ids: string[], timeoutMs = 30_000): Promise<WaitReport> {
  const report: WaitReport = { finals: new Map(), statuses: new Map(), slowestMs: 0 };
  const deadline = Date.now() + timeoutMs;
  let open = [...ids];
  while (open.length > 0) {
    const replies = await mapLimit(open, 16, (id) => request<WorkflowStatus>(`${base}/api/workflow/${id}`));
    open = open.filter((id, i) => {
      const reply = replies[i];
      report.statuses.set(reply.status, (report.statuses.get(reply.status) ?? 0) + 1);
      report.slowestMs = Math.max(report.slowestMs, reply.ms);
      if (reply.status === 200 && isTerminal(reply.body.status)) {
        report.finals.set(id, reply.body);
        return false;
      }
      return true;
    });
    if (open.length === 0) break;
    if (Date.now() > deadline) throw new Error(`${open.length} of ${ids.length} workflows not terminal after ${timeoutMs} ms, e.g. ${open[0]}`);
    await sleep(50);
  }
  return report;
}

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

/** Every workflow the server lists, following `X-Next-Cursor` page by page (`limit` per page). */
export async function listAll(base: string, limit = 500): Promise<{ items: WorkflowStatus[]; pages: number }> {
  const items: WorkflowStatus[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const query: string = `limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const reply: Reply<WorkflowStatus[]> = await request<WorkflowStatus[]>(`${base}/api/workflows?${query}`, { timeoutMs: 30_000 });
    if (reply.status !== 200) throw new Error(`list answered ${reply.status}: ${JSON.stringify(reply.body)}`);
    items.push(...reply.body);
    cursor = reply.headers.get('x-next-cursor');
    pages++;
  } while (cursor);
  return { items, pages };
}

/** Runs `fn` over `items` with at most `limit` in flight; results in order. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` every 25 ms until it returns a value other than undefined; throws after `timeoutMs`. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}
