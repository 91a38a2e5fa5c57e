import { z } from 'zod';
import { WorkflowStateSchema, type WorkflowState } from '../shared/status.ts';

// Only the counters the wait reads; the rest of /health may change freely.
const HealthLoadSchema = z.looseObject({
  workflows: z.looseObject({ running: z.number().optional(), queued: z.number().optional(), unsaved: z.number().optional() }).optional(),
});
const PageSchema = z.array(z.looseObject({ id: z.string(), status: WorkflowStateSchema }));

const PAGE = 500;
// 1,000 pages of 500 is far past any bench size: a cursor that never ends is a bug, not a wait.
const MAX_PAGES = 1_000;
const REQUEST_TIMEOUT_MS = 10_000;
const MAX_POLL_FAILURES = 3;

async function getJson(url: string): Promise<{ body: unknown; nextCursor: string | null }> {
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  } catch (error) {
    // fetch says only "fetch failed"; the socket's own error is in `cause`.
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new Error(`GET ${url}: ${cause?.code ?? cause?.message ?? (error as Error).message}`, { cause: error });
  }
  if (res.status !== 200) throw new Error(`GET ${url}: ${res.status}`);
  return { body: await res.json(), nextCursor: res.headers.get('x-next-cursor') };
}

/** Whether the server's store holds no `pending` or `running` workflow (one item of each list is enough to say no). */
async function storeHoldsNoOpenWorkflow(baseUrl: string): Promise<boolean> {
  for (const state of ['pending', 'running'] as const) {
    const { body, nextCursor } = await getJson(`${baseUrl}/api/workflows?status=${state}&limit=1`);
    // The list shows live states over stored ones and drops what no longer matches, so an
    // empty page with a cursor still means the store has one in that state.
    if (PageSchema.parse(body).length > 0 || nextCursor) return false;
  }
  return true;
}

/**
 * Polls a running server (or every process of a cluster) every `pollMs` until every workflow it was given is
 * stored finished (true), or until `performance.now()` passes `deadline` (false). Cheap first: `/health` must show nothing running,
 * queued or unsaved; then the store's own lists by state (what `GET
 * /api/workflows?status=` reads) must hold no pending or running workflow.
 * Call it once every create has been answered (a create stores before it answers).
 */
export async function waitStoredFinished(baseUrl: string | string[], options: { deadline: number; pollMs: number }): Promise<boolean> {
  const urls = typeof baseUrl === 'string' ? [baseUrl] : baseUrl;
  let failures = 0;
  for (;;) {
    try {
      if (await storedFinished(urls)) return true;
      failures = 0;
    } catch (error) {
      // One poll lost on a busy machine (a reused socket the server just closed) must not throw away a
      // four-minute run; a server that stays away must still end it.
      if (++failures >= MAX_POLL_FAILURES) throw error;
    }
    if (performance.now() >= options.deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, options.pollMs));
  }
}

/** Every process idle by its /health, then the store (read through the first) holding nothing open. */
async function storedFinished(urls: string[]): Promise<boolean> {
  const healths = await Promise.all(urls.map(async (url) => HealthLoadSchema.parse((await getJson(`${url}/health`)).body).workflows));
  const busy = healths.reduce((sum, h) => sum + (h?.running ?? 0) + (h?.queued ?? 0) + (h?.unsaved ?? 0), 0);
  return busy === 0 && (await storeHoldsNoOpenWorkflow(urls[0]));
}

/** How many workflows in state `state` the server lists (every page of 500). */
export async function countWorkflows(baseUrl: string, state: WorkflowState): Promise<number> {
  let count = 0;
  let cursor: string | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const query: string = `status=${state}&limit=${PAGE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const { body, nextCursor } = await getJson(`${baseUrl}/api/workflows?${query}`);
    count += PageSchema.parse(body).length;
    if (!nextCursor) return count;
    cursor = nextCursor;
  }
  throw new Error(`listing ${state} workflows: more than ${MAX_PAGES} pages`);
}
