import { expect } from 'vitest';
import type { WorkflowDefinition } from '../../../shared/definition.ts';
import type { WorkflowEvent } from '../../../shared/events.ts';
import type { WorkflowStatus } from '../../../shared/status.ts';
import type { CreateWorkflowResponse } from '../../../server/api/restRoutes.ts';
import { call } from '../api/http.ts';

/** Creates a workflow through `base`; resolves with its id. */
export async function createVia(base: string, definition: WorkflowDefinition): Promise<string> {
  const answer = await call<CreateWorkflowResponse>(base, '/api/workflow', { method: 'POST', json: definition });
  expect(answer.status).toBe(202);
  return answer.body.workflow_id;
}

/** The status through `base`. */
export async function statusVia(base: string, id: string): Promise<WorkflowStatus> {
  const answer = await call<WorkflowStatus>(base, `/api/workflow/${id}`);
  expect(answer.status).toBe(200);
  return answer.body;
}

/** Every stored event of a workflow, through `base`, following the cursor. */
export async function eventsVia(base: string, id: string): Promise<WorkflowEvent[]> {
  const all: WorkflowEvent[] = [];
  let after = 0;
  for (;;) {
    const page = await call<WorkflowEvent[]>(base, `/api/workflow/${id}/events?after=${after}&limit=200`);
    expect(page.status).toBe(200);
    all.push(...page.body);
    const next = page.headers.get('x-next-cursor');
    if (!next) return all;
    after = Number(next);
  }
}

/** Polls until `check` returns a value (not undefined), or fails after `timeoutMs`. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A workflow of one sequential step of `http` tasks, each counted at the hit counter under `<key>-<n>`. */
export function countedWorkflow(name: string, urls: string[], params: Record<string, unknown> = {}): WorkflowDefinition {
  return {
    name,
    steps: [{ execution_type: 'sequential', tasks: urls.map((url, n) => ({ id: `t${n}`, name: 'http', params: { url, method: 'POST', ...params } })) }],
  };
}
