import type { WorkflowDefinition } from '../../../shared/definition.ts';
import { isTerminal, type WorkflowStatus } from '../../../shared/status.ts';
import { mapLimit, sleep } from './async.ts';
import { request, type Reply } from './request.ts';

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
