import type { WorkflowPage, WorkflowState } from '../../index.ts';

/** What one page read asks the server for (its `list` filters and where to start). */
export interface PageQuery {
  status?: WorkflowState;
  name?: string;
  cursor?: string;
}

/**
 * Reads pages from `query.cursor` on, following `next_cursor`, until `wanted`
 * workflows came back, the last page was read, or `maxCalls` calls were made.
 * One call is usually enough; under a name filter the server examines a
 * bounded number of workflows per call, so a rare name comes back as short
 * pages that the cursor continues. Nothing is filtered here: the server did.
 */
export async function readPages(
  list: (options: PageQuery & { limit: number }) => Promise<WorkflowPage>,
  query: PageQuery,
  wanted: number,
  maxCalls: number,
): Promise<WorkflowPage> {
  const items: WorkflowPage['items'] = [];
  let cursor = query.cursor;
  for (let calls = 0; calls < maxCalls; calls++) {
    const page = await list({ status: query.status, name: query.name, cursor, limit: wanted - items.length });
    items.push(...page.items);
    if (page.next_cursor === null) return { items, next_cursor: null };
    cursor = page.next_cursor;
    if (items.length >= wanted) break;
  }
  return { items, next_cursor: cursor ?? null };
}
