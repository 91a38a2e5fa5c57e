import type { WorkflowDefinition } from '../../shared/definition.ts';

/** A one-task workflow that sleeps `ms` (running long enough to be watched or cancelled). */
export function sleepWorkflow(name: string, ms: number): WorkflowDefinition {
  return { name, steps: [{ execution_type: 'sequential', tasks: [{ id: 'nap', name: 'sleep', params: { ms } }] }] };
}

/** A workflow whose one task fails with `message` (no retries). */
export function failingWorkflow(name: string, message: string): WorkflowDefinition {
  return { name, steps: [{ execution_type: 'sequential', tasks: [{ id: 'boom', name: 'fail', params: { message } }] }] };
}

/** One parallel step of `width` echo tasks. */
export function wideWorkflow(name: string, width: number): WorkflowDefinition {
  return { name, steps: [{ execution_type: 'parallel', tasks: Array.from({ length: width }, (_, i) => ({ id: `t${i}`, name: 'echo', params: { i } })) }] };
}

/** Creates a workflow through the REST API (as a user's curl would) and returns its id. */
export async function createThroughApi(baseUrl: string, definition: WorkflowDefinition, apiKey?: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/workflow`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
    body: JSON.stringify(definition),
  });
  if (res.status !== 202) throw new Error(`create answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { workflow_id: string }).workflow_id;
}

/** The workflow's state as the REST API reports it. */
export async function stateThroughApi(baseUrl: string, id: string, apiKey?: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/workflow/${id}`, { headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {} });
  return ((await res.json()) as { status: string }).status;
}
